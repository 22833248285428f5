"""Pure logic of the dashboard (never imports streamlit), grouped by concern.

``paths``, ``settings`` and ``mart_schemas`` are the contract with the ETL; then, each group
importing only those listed before it: ``domain`` → ``geo`` → ``analysis`` / ``uploads`` →
``schemes`` → ``viz`` → ``exports`` (``tests/unit/test_layers.py`` checks it).
"""
