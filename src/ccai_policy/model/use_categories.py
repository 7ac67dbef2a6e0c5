"""The categories of AI use, in the agreements' terms, with what each means."""

from __future__ import annotations

from typing import Literal

from ccai_policy.model.vocabulary import Meanings

UseCategory = Literal[
    "employment_based_digital_replica",
    "independently_created_digital_replica",
    "background_actor_digital_replica",
    "digital_alteration",
    "synthetic_performer",
    "voice_replica",
    "gai_literary_material",
    "gai_visual_or_audio",
    "real_time_generation",
    "training_on_production_material",
]
#: What each category means, in plain words built on the agreements' own terms (SAG-AFTRA 2023
#: TV/Theatrical for the replica, alteration and synthetic performer terms, WGA 2023 MBA Art. 72
#: for GAI literary material). The category picks the clause; the facts (subjects, voice,
#: features_from) decide whether a person is protected.
CATEGORY_DEFINITIONS: dict[str, str] = {
    "employment_based_digital_replica": "Employment-Based Digital Replica (SAG-AFTRA): a digital "
    "copy of a performer's voice or likeness made with the performer's own participation (a scan "
    "or recording session) while employed on the production, used to show them in scenes they did "
    "not actually perform.",
    "independently_created_digital_replica": "Independently Created Digital Replica (SAG-AFTRA): "
    "a digital copy of a performer's voice or likeness made from material that already exists "
    "(archive footage, earlier recordings), without the performer taking part in making it; the "
    "category for recreating someone who is not on set, including a performer who has died.",
    "background_actor_digital_replica": "Background Actor Digital Replica (SAG-AFTRA): a digital "
    "copy of a background actor's likeness, made while they are employed, used as a background "
    "figure (crowds, extras).",
    "digital_alteration": "Digital Alteration (SAG-AFTRA): a change to a performer's voice or "
    "likeness within a performance they actually recorded (lip-sync, a changed line, a removed "
    "blemish), where the result stays their performance; showing them in scenes or lines they did "
    "not perform is a digital replica, not an alteration.",
    "synthetic_performer": "Synthetic Performer (SAG-AFTRA): a digitally created performer who is "
    "not recognisable as any real person and is not voiced by one; the people whose recognisable "
    "features it borrows are listed in features_from, never in subjects.",
    "voice_replica": "A digital replica of a person's voice alone (for example ADR or dubbing in "
    "the performer's own voice), under the same terms as the replica of a likeness.",
    "gai_literary_material": "GAI literary material (WGA MBA Article 72): text produced by "
    "generative AI (scripts, outlines, dialogue), which the agreement says is neither literary "
    "material nor source material; subjects are the writers given it or whose material it works "
    "on.",
    "gai_visual_or_audio": "Generative AI visual or audio content that depicts or voices no "
    "identifiable real person (sets, props, skies, music beds, sound effects); a use that shows "
    "or voices a real person belongs to a replica category.",
    "real_time_generation": "Real-time generation: output generated live, while the audience or "
    "players watch or play (a game character answering players in a performer's voice).",
    "training_on_production_material": "Training or fine-tuning an AI model on the production's "
    "material (footage, recordings, scripts); subjects are the people whose performances or work "
    "are in that material.",
}
USE_CATEGORIES = Meanings(CATEGORY_DEFINITIONS)
#: Categories whose definition excludes an identifiable real person in `subjects`.
NO_REAL_PERSON_CATEGORIES = frozenset({"gai_visual_or_audio", "synthetic_performer"})
