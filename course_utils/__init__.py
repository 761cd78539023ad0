"""Helpers, explorers and exercise checkers for the course "Deep Learning for Audio: Fundamentals".

Every notebook in ``notebooks/`` imports what it needs from its topic module(s) of this package:

=====================================  =======================================
notebook                               module
=====================================  =======================================
``00_start_here.ipynb``                :mod:`course_utils.notebook`, :mod:`course_utils.widgets`
``01_audio_representations.ipynb``     :mod:`course_utils.representations`
``02_data_normalization.ipynb``        :mod:`course_utils.normalization` (the methods; it re-exports the
                                       three below), :mod:`course_utils.normalization_descent` (why: gradient
                                       descent on two scales), :mod:`course_utils.normalization_patches` (FSDD
                                       patches, scikit-learn's layout), :mod:`course_utils.normalization_checks`
``03_data_augmentation.ipynb``         :mod:`course_utils.augmentation` (waveforms),
                                       :mod:`course_utils.spectrogram_augmentation`,
                                       :mod:`course_utils.augmentation_labels`,
                                       :mod:`course_utils.augmentation_experiment`
``04_neurons_activations_losses.ipynb`` :mod:`course_utils.activations`
``05_training_an_mlp.ipynb``           :mod:`course_utils.mlp` (re-exports :mod:`course_utils.mlp_network`, the
                                       network and its training, :mod:`course_utils.mlp_gradients`, gradient
                                       checks, and :mod:`course_utils.mlp_exercises`), :mod:`course_utils.loss_surfaces`
                                       (gradient descent in 2-D), :mod:`course_utils.playground_data` (datasets),
                                       :mod:`course_utils.backprop` (backpropagation one layer at a time)
``06_programming_session.ipynb``       :mod:`course_utils.features` (features and their cache),
                                       :mod:`course_utils.classification` (training, evaluation),
                                       :mod:`course_utils.training_curves` (live curves),
                                       :mod:`course_utils.explorers.voice` (your voice and the network)
=====================================  =======================================

Cross-cutting modules: :mod:`course_utils.data` (download-and-verify cache and loaders),
:mod:`course_utils.signals` (deterministic synthetic signals), :mod:`course_utils.recorder` (your own
voice: microphone or upload), :mod:`course_utils.widgets`
(the slider framework and the registry ``EXPLORERS``), :mod:`course_utils.explorers` (one file of
interactive explorers per topic), :mod:`course_utils.checks` (the result type of the "Your turn"
checkers), :mod:`course_utils.plotting` (plot helpers) and :mod:`course_utils.tensorflow_logs` (keeps
TensorFlow's C++ start-up lines out of the notebooks).

Names used everywhere (one name per concept)
--------------------------------------------
==================  ====================  =========================================
lecture symbol      code name             meaning and unit
==================  ====================  =========================================
N                   ``n_samples``         length of a signal, in samples
sr                  ``sr``                sample rate, in Hz
W_f                 ``block_size``        frame (block) length, in samples
H_f                 ``hop_size``          distance between frame starts, in samples
N_f                 ``n_frames``          number of frames
N_feat              ``n_features``        length of one feature vector (e.g. ``n_mfcc``)
F                   ``n_bins``            frequency bins (or mel bands) of a spectrogram
W_p                 ``patch_length``      patch length, in spectrogram frames
H_p                 ``patch_hop``         distance between patch starts, in frames
N_p                 ``n_patches``         number of patches
C                   ``n_classes``         number of classes
K^(l) = W^(l)^T     ``weights[l-1]``      kernel of layer l: the transpose of the lecture's weight matrix
                                          W^(l), shape (n_in, n_out), as Keras stores it (``MLP.weights``)
b^(l)               ``biases[l-1]``       bias vector of layer l, shape (n_out,)
z^(l), a^(l)        ``z``, ``a``          pre-activation and activation of layer l
ε (varepsilon)      ``learning_rate``     learning rate: step size of gradient descent (notebooks 02, 05)
ϵ (epsilon)         ``eps``               small constant that keeps a division finite (notebook 02)
h                   ``h``                 step of a finite-difference derivative (notebook 05)
==================  ====================  =========================================

Importing this package is cheap: TensorFlow, audiomentations and albumentations are imported
only inside the functions that need them.
"""

from course_utils._project import REPO_URL, __version__
from course_utils.notebook import setup_notebook

__all__ = ["REPO_URL", "__version__", "setup_notebook"]
