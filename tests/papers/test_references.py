"""The reference-string parser on each citation style (strings we wrote in each style's exact shape) and on text
that only looks like one."""

from __future__ import annotations

import pytest

from notepipe.papers import parse_reference

STYLES = [
    # (style, string, title, first author, venue, year)
    ("mla", 'Ronneberger, Olaf, et al. "U-Net: Convolutional Networks for Biomedical Image Segmentation." Medical '
     "Image Computing and Computer-Assisted Intervention (2015).",
     "U-Net: Convolutional Networks for Biomedical Image Segmentation", "Olaf Ronneberger", None, 2015),
    ("apa", "Kingma, D. P., & Welling, M. (2014). Auto-encoding variational Bayes. In International Conference on "
     "Learning Representations.", "Auto-encoding variational Bayes", "D. P. Kingma", None, 2014),
    ("acm", "Tomas Mikolov, Ilya Sutskever, Kai Chen, Greg Corrado, and Jeffrey Dean. 2013. Distributed "
     "Representations of Words and Phrases and their Compositionality. In Advances in Neural Information "
     "Processing Systems.", "Distributed Representations of Words and Phrases and their Compositionality",
     "Tomas Mikolov", None, 2013),
    ("ieee", 'I. Goodfellow, J. Pouget-Abadie, and M. Mirza, "Generative adversarial nets," in Proc. NIPS, 2014, '
     "pp. 2672-2680.", "Generative adversarial nets", "I. Goodfellow", "NIPS", 2014),
    ("neurips-acl", "Srivastava, N., Hinton, G., and Krizhevsky, A. Dropout: A simple way to prevent neural "
     "networks from overfitting. In JMLR, 2014.",
     "Dropout: A simple way to prevent neural networks from overfitting", "N. Srivastava", "JMLR", 2014),
    ("chicago", 'Hochreiter, Sepp, and Jürgen Schmidhuber. "Long Short-Term Memory." Neural Computation 9, no. 8 '
     "(1997): 1735-80.", "Long Short-Term Memory", "Sepp Hochreiter", None, 1997),
    ("harvard", "Silver, D. et al. (2016) 'Mastering the game of Go with deep neural networks and tree search', "
     "Nature, 529, pp. 484-489.", "Mastering the game of Go with deep neural networks and tree search",
     "D. Silver", "Nature", 2016),
    ("vancouver", "Ioffe S, Szegedy C. Batch normalization: accelerating deep network training. Proc Mach Learn "
     "Res. 2015;37:448-56.", "Batch normalization: accelerating deep network training", "S Ioffe", None, 2015),
    ("lncs", "Lin, T.Y., Maire, M., Belongie, S.: Microsoft COCO: Common objects in context. In: European "
     "Conference on Computer Vision. pp. 740-755 (2014)", "Microsoft COCO: Common objects in context",
     "T.Y. Lin", None, 2014),
    ("bibtex", "@inproceedings{ho2020denoising,\n  title={Denoising Diffusion Probabilistic Models},\n  "
     "author={Ho, Jonathan and Jain, Ajay and Abbeel, Pieter},\n  booktitle={NeurIPS},\n  year={2020}\n}",
     "Denoising Diffusion Probabilistic Models", "Ho, Jonathan", "NeurIPS", 2020),
    ("authors-title-year", "Kaiming He, Georgia Gkioxari, Piotr Dollár, Mask R-CNN for Instance Segmentation,2017",
     "Mask R-CNN for Instance Segmentation", "Kaiming He", None, 2017),
    ("title-first", '"Densely Connected Convolutional Networks", Huang, G., CVPR2017',
     "Densely Connected Convolutional Networks", "G. Huang", "CVPR", 2017),
    ("title-paren", "Neural Machine Translation by Jointly Learning to Align and Translate (Bahdanau et al., 2015)",
     "Neural Machine Translation by Jointly Learning to Align and Translate", "Bahdanau", None, 2015),
    ("numbered", "[12] Sutton, R. S., & Barto, A. G. (2018). Reinforcement learning: An introduction. MIT press.",
     "Reinforcement learning: An introduction", "R. S. Sutton", None, 2018),
]


@pytest.mark.parametrize(("style", "text", "title", "author", "venue", "year"), STYLES, ids=[s[0] for s in STYLES])
def test_each_style_gives_title_authors_venue_year(style: str, text: str, title: str, author: str,
                                                   venue: str | None, year: int) -> None:
    ref = parse_reference(text)
    assert ref is not None, style
    assert ref.title == title
    assert ref.authors[0] == author
    assert ref.year == year
    if venue is not None:
        assert ref.venue == venue


def test_a_reference_wrapped_over_lines_with_a_hyphen_is_joined() -> None:
    from notepipe.papers.references import join_lines

    text = join_lines(["[3] Alex Krizhevsky, Ilya Sutskever, and Geoffrey Hinton. ImageNet classifi-",
                       "cation with deep convolutional neural networks. In NIPS, 2012."])
    ref = parse_reference(text)
    assert ref is not None
    assert ref.title == "ImageNet classification with deep convolutional neural networks"


@pytest.mark.parametrize("text", [
    "In 2017, the team trained the model on ImageNet. It worked well in our CVPR experiments.",
    "Zhang et al. (2019) showed that the loss drops faster with warm-up than without it.",
    "今日は2019年のCVPRで発表された論文を読みました。とても面白かったです。",
    "Batch Size 256, Learning Rate 0.1, Epochs 90 (2020 settings)",
    "The Quick Brown. Fox Jumps Over. The Lazy Dog 2020.",
    "x" * 5_000,
    "",
])
def test_text_that_is_not_a_reference(text: str) -> None:
    assert parse_reference(text) is None
