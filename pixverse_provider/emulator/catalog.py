"""Fixed data the emulator serves: TTS speakers, effect templates and restyle presets.

Speakers are the 15 of the documented example (docs/api-facts.rst, 'Endpoints'). Template ids are the historic ids
used by ComfyUI plus the ids shown in the template-list and image-template examples; their names,
qualities and activation states are the emulator's choice, picked so that every template rule can be hit:

- ``Subject 3 Fever`` is NOT activated → 500070;
- ``Suit Swagger`` supports only 360p/540p → 500071 at 720p/1080p;
- ``Kiss Kiss`` is a multi-image template that needs exactly 2 ``img_ids``;
- ``Fireworks`` takes no image (text-to-video effects);
- ``Sticker Portrait`` is an image template (type 2) for the image-template endpoint.

Restyle ids and names are invented (the real list's schema is unknown: docs/api-facts.rst, 'Open questions').
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from pixverse_provider.api.enums import Quality, TemplateType

ALL_QUALITIES: tuple[Quality, ...] = tuple(Quality)


@dataclass(frozen=True)
class _ListEntry:
    """An entry of a list the API serves; its JSON is its fields, in order."""

    def to_json(self) -> dict[str, object]:
        return dataclasses.asdict(self)


@dataclass(frozen=True)
class Speaker(_ListEntry):
    speaker_id: str
    name: str


SPEAKERS: tuple[Speaker, ...] = tuple(
    Speaker(sid, name)
    for sid, name in (
        ("7", "Harper"),
        ("8", "Ava"),
        ("3", "Isabella"),
        ("9", "Sophia"),
        ("1", "Emily"),
        ("5", "Chloe"),
        ("10", "Julia"),
        ("11", "Mason"),
        ("12", "Jack"),
        ("4", "Liam"),
        ("2", "James"),
        ("13", "Oliver"),
        ("6", "Adrian"),
        ("14", "Ethan"),
        ("Auto", "Auto"),
    )
)


def is_speaker(speaker_id: str) -> bool:
    """Whether ``speaker_id`` is in the catalogue ("auto" in any case is accepted, as the docs show both)."""
    return speaker_id.lower() == "auto" or any(s.speaker_id == speaker_id for s in SPEAKERS)


@dataclass(frozen=True)
class Template:
    """An effect template; ``image_count`` is how many uploaded images it takes (0 = text only)."""

    template_id: int
    name: str
    prompt: str
    template_type: TemplateType
    image_count: int
    qualities: tuple[Quality, ...] = ALL_QUALITIES
    activated: bool = True

    def to_json(self, base_url: str) -> dict[str, object]:
        return {
            "template_id": self.template_id,
            "display_name": self.name,
            "display_prompt": self.prompt,
            "preview_url": f"{base_url}/_emulator/media/preview/{self.template_id}.mp4",
            "template_type": int(self.template_type),
            "image_count": self.image_count,
            "qualities": [q.value for q in self.qualities],
        }


_VIDEO = TemplateType.VIDEO
TEMPLATES: tuple[Template, ...] = (
    Template(324641385496960, "Microwave", "The subject spins inside a microwave", _VIDEO, 1),
    Template(313358700761536, "Anything, Robot", "The subject turns into a robot", _VIDEO, 1),
    Template(
        328545151283968,
        "Suit Swagger",
        "The subject struts in a sharp suit",
        _VIDEO,
        1,
        qualities=(Quality.Q360P, Quality.Q540P),
    ),
    Template(327828816843648, "Subject 3 Fever", "The subject dances", _VIDEO, 1, activated=False),
    Template(315446315336768, "Kiss Kiss", "The two subjects kiss", _VIDEO, 2),
    Template(402331965264704, "Fireworks", "Fireworks light up the night sky", _VIDEO, 0),
    Template(377378608924544, "Sticker Portrait", "The subject as a sticker", TemplateType.IMAGE, 1),
)
TEMPLATES_BY_ID: dict[int, Template] = {t.template_id: t for t in TEMPLATES}


@dataclass(frozen=True)
class RestylePreset(_ListEntry):
    restyle_id: int
    name: str


RESTYLES: tuple[RestylePreset, ...] = (
    RestylePreset(360000000000001, "Anime"),
    RestylePreset(360000000000002, "Clay"),
    RestylePreset(360000000000003, "Cyberpunk"),
    RestylePreset(360000000000004, "Watercolor"),
    RestylePreset(360000000000005, "Pixel Art"),
    RestylePreset(360000000000006, "Oil Painting"),
)
RESTYLE_IDS = frozenset(r.restyle_id for r in RESTYLES)


def page(items: tuple[object, ...], number: int, size: int) -> tuple[object, ...]:
    """Page ``number`` (from 1) of ``size`` items."""
    start = (number - 1) * size
    return items[start : start + size]
