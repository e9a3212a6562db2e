"""embedlab's bundled data, installed as the package ``embedlab.sample_data`` (see ``embedlab/resources.py``).

This file only makes the folder a package, so that ``importlib.resources`` finds it both in a wheel and in an
editable install of a checkout. Nothing here is code.
"""
