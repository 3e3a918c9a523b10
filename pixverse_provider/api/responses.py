"""The ``Resp`` objects PixVerse returns (docs/api-facts.rst, 'Endpoints'), read by the hooks, written by the emulator.

Unknown fields are kept (``extra="allow"``): PixVerse adds fields over time and a reader must not break.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from pixverse_provider.api.enums import MediaType


class PixVerseResponse(BaseModel):
    model_config = ConfigDict(extra="allow", populate_by_name=True)


class Envelope(PixVerseResponse):
    """``{ErrCode, ErrMsg, Resp}``; the Upload Image error example uses lower-case keys, accepted too."""

    ErrCode: int = Field(validation_alias="ErrCode")
    ErrMsg: str = ""
    Resp: Any = None

    @classmethod
    def parse(cls, body: Any) -> Envelope:
        """Read an envelope in either spelling; raises ``ValueError`` when ``body`` is not one."""
        if not isinstance(body, dict):
            raise ValueError("response body is not a JSON object")
        if "ErrCode" in body:
            return cls.model_validate(body)
        if "err_code" in body:
            return cls(ErrCode=body["err_code"], ErrMsg=body.get("err_msg", ""), Resp=body.get("resp"))
        raise ValueError("response has no ErrCode: not a PixVerse API answer")


class CreditBalance(PixVerseResponse):
    account_id: int
    credit_monthly: int
    credit_package: int

    @property
    def total(self) -> int:
        return self.credit_monthly + self.credit_package


class UploadedImage(PixVerseResponse):
    img_id: int
    img_url: str = ""


class UploadedMedia(PixVerseResponse):
    media_id: int
    media_type: MediaType
    url: str = ""


class SubmittedVideo(PixVerseResponse):
    """Answer to every generation POST; some endpoints also echo the charge as ``credits`` or ``credit``."""

    video_id: int
    credits: int | None = None
    credit: int | None = None

    @property
    def charged(self) -> int | None:
        """The credits PixVerse said it charged, under either name; ``None`` when it did not say."""
        return self.credits if self.credits is not None else self.credit


class VideoRecord(PixVerseResponse):
    """The status record of a video; ``url`` is usable only when ``status`` is 1.

    See docs/api-facts.rst, 'Ids and video status'.
    """

    id: int
    status: int
    url: str = ""
    prompt: str = ""
    negative_prompt: str = ""
    seed: int = 0
    style: str = ""
    resolution_ratio: int = 0
    outputWidth: int = 0
    outputHeight: int = 0
    size: int = 0
    create_time: str = ""
    modify_time: str = ""


class TtsSpeaker(PixVerseResponse):
    speaker_id: str
    name: str


class TtsSpeakerList(PixVerseResponse):
    total: int
    data: list[TtsSpeaker]


class EffectTemplate(PixVerseResponse):
    template_id: int
    display_name: str = ""
    display_prompt: str = ""


class EffectTemplateList(PixVerseResponse):
    effect_items: list[EffectTemplate]
    total: int | None = None


class RestyleItem(PixVerseResponse):
    restyle_id: int
    name: str = ""


class RestyleList(PixVerseResponse):
    total: int | None = None
    data: list[RestyleItem] = []


class Mask(PixVerseResponse):
    mask_id: str
    mask_name: str
    mask_url: str = ""


class MaskSelection(PixVerseResponse):
    keyframe_id: int
    keyframe_url: str = ""
    credits: int = 0
    mask_info: list[Mask]


class SubmittedImage(PixVerseResponse):
    image_id: int
    credits: int | None = None


class ImageRecord(PixVerseResponse):
    image_id: int
    status: int
    url: str = ""
    template_id: int = 0
    outputWidth: int = 0
    outputHeight: int = 0
    credits: int = 0
