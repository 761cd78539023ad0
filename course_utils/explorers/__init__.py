"""Interactive explorers, one file per topic (a slider's logic lives in the file named after its notebook).

========================  =======================================  ====================================
file                      explorers (``EXPLORERS`` names)          notebook
========================  =======================================  ====================================
``demo.py``               ``tone``                                 ``00_start_here.ipynb``
========================  =======================================  ====================================

Each module registers its classes with :func:`course_utils.widgets.register`; importing
``course_utils.widgets.EXPLORERS`` loads them all.
"""
