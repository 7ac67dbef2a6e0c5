"""The IPTC digital source types that say how media was made, with what each means."""

from __future__ import annotations

from typing import Literal

from ccai_policy.model.vocabulary import Meanings

DigitalSourceType = Literal[
    "digitalCapture",
    "computationalCapture",
    "screenCapture",
    "virtualRecording",
    "negativeFilm",
    "positiveFilm",
    "print",
    "humanEdits",
    "digitalCreation",
    "algorithmicallyEnhanced",
    "dataDrivenMedia",
    "algorithmicMedia",
    "compositeCapture",
    "compositeSynthetic",
    "trainedAlgorithmicMedia",
    "compositeWithTrainedAlgorithmicMedia",
    "minorHumanEdits",
    "digitalArt",
    "softwareImage",
]
DIGITAL_SOURCE_TYPES = Meanings(
    {
        "digitalCapture": "IPTC: captured by a digital camera or recorder, as shot.",
        "computationalCapture": "IPTC: captured by a device that processes the capture "
        "computationally (a phone's multi-frame photo, say).",
        "screenCapture": "IPTC: a screenshot or screen recording.",
        "virtualRecording": "IPTC: recorded in a virtual environment, such as a game engine.",
        "negativeFilm": "IPTC: scanned from a film negative.",
        "positiveFilm": "IPTC: scanned from positive film (a slide or a print film).",
        "print": "IPTC: scanned from a print on paper.",
        "humanEdits": "IPTC: captured media edited by people with tools that generate nothing.",
        "digitalCreation": "IPTC: made by a person with digital tools (painting, 3D), no model.",
        "algorithmicallyEnhanced": "IPTC: captured media with minor algorithmic changes that "
        "keep its content (noise reduction, upscaling).",
        "dataDrivenMedia": "IPTC: produced by an algorithm from data, such as a chart or a "
        "simulation, without a trained model.",
        "algorithmicMedia": "IPTC: created purely by an algorithm not based on sampled "
        "training data (procedural generation).",
        "compositeCapture": "IPTC: a composite of several captured elements.",
        "compositeSynthetic": "IPTC: a composite that includes synthetic elements.",
        "trainedAlgorithmicMedia": "IPTC: created algorithmically using a model derived from "
        "sampled content (generative AI output).",
        "compositeWithTrainedAlgorithmicMedia": "IPTC: captured media combined with generative "
        "AI output (inpainting, outpainting, a replaced face).",
        "minorHumanEdits": "Older IPTC name for humanEdits; still accepted.",
        "digitalArt": "Older IPTC name for digitalCreation; still accepted.",
        "softwareImage": "Older IPTC name for media created by software; still accepted.",
    }
)
