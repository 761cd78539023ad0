"""Interactive explorers, one file per topic (a slider's logic lives in the file named after its topic).

===================  ====================================================  ========================================
file                 explorers (names in ``course_utils.widgets.EXPLORERS``)  notebook
===================  ====================================================  ========================================
``demo.py``          ``tone``                                              ``00_start_here.ipynb``
``representations``  ``framing``, ``spectrogram``, ``patches``             ``01_audio_representations.ipynb``
``normalization``    ``normalization``                                     ``02_data_normalization.ipynb``
``augmentation``     ``audio_augmentation``, ``spectrogram_augmentation``  ``03_data_augmentation.ipynb``
``activations``      ``neuron``, ``activations``, ``softmax``, ``losses``  ``04_neurons_activations_losses.ipynb``
``mlp``              ``playground``, ``gradient_descent``                  ``05_training_an_mlp.ipynb``
``backprop``         ``backprop``                                          ``05_training_an_mlp.ipynb``
``classification``   ``training_panel``                                    ``06_programming_session.ipynb``
===================  ====================================================  ========================================

Each module registers its classes with :func:`course_utils.widgets.register`; the first use of
``course_utils.widgets.EXPLORERS`` imports them all. The computations behind an explorer live in the
topic module of the same name (``course_utils/representations.py`` for ``explorers/representations.py``);
``explorers/mlp.py`` also draws on the two modules split out of ``course_utils/mlp.py``,
``course_utils/playground_data.py`` and ``course_utils/loss_surfaces.py``; ``explorers/backprop.py`` (step-through
backpropagation) computes with :mod:`course_utils.backprop`.
"""
