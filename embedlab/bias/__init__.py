"""The bias lab: directions, WEAT, DirectBias, hard debiasing and residual-bias checks.

Start with :func:`embedlab.bias.weat.run_test`, :func:`embedlab.bias.directions.gender_direction`,
:func:`embedlab.bias.debias.hard_debias` and :func:`embedlab.bias.residual.cluster_residual`.
"""
