"""The PixVerse API's vocabularies: models, qualities, ratios, modes and statuses.

See docs/api-facts.rst, 'Generation fields' and 'Ids and video status'.
"""

from __future__ import annotations

from enum import Enum, IntEnum


class Model(str, Enum):
    """Video model versions the API accepts in the ``model`` field."""

    V3_5 = "v3.5"
    V4 = "v4"
    V4_5 = "v4.5"
    V5 = "v5"
    V5_5 = "v5.5"
    V5_6 = "v5.6"
    V6 = "v6"
    C1 = "c1"


class Quality(str, Enum):
    """Output quality; ``360p`` is the "Turbo" tier."""

    Q360P = "360p"
    Q540P = "540p"
    Q720P = "720p"
    Q1080P = "1080p"


class AspectRatio(str, Enum):
    """Frame shape for modes whose frame is not fixed by an input (text-to-video, fusion)."""

    R16_9 = "16:9"
    R4_3 = "4:3"
    R1_1 = "1:1"
    R3_4 = "3:4"
    R9_16 = "9:16"
    R2_3 = "2:3"
    R3_2 = "3:2"
    R21_9 = "21:9"


class MotionMode(str, Enum):
    NORMAL = "normal"
    FAST = "fast"


class Style(str, Enum):
    """Visual styles; PixVerse applies them on v3.5 only."""

    ANIME = "anime"
    ANIMATION_3D = "3d_animation"
    CLAY = "clay"
    COMIC = "comic"
    CYBERPUNK = "cyberpunk"


class CameraMovement(str, Enum):
    """Camera presets accepted by v4 and v4.5."""

    HORIZONTAL_LEFT = "horizontal_left"
    HORIZONTAL_RIGHT = "horizontal_right"
    VERTICAL_UP = "vertical_up"
    VERTICAL_DOWN = "vertical_down"
    ZOOM_IN = "zoom_in"
    ZOOM_OUT = "zoom_out"
    CRANE_UP = "crane_up"
    QUICKLY_ZOOM_IN = "quickly_zoom_in"
    QUICKLY_ZOOM_OUT = "quickly_zoom_out"
    SMOOTH_ZOOM_IN = "smooth_zoom_in"
    CAMERA_ROTATION = "camera_rotation"
    ROBO_ARM = "robo_arm"
    SUPER_DOLLY_OUT = "super_dolly_out"
    WHIP_PAN = "whip_pan"
    HITCHCOCK = "hitchcock"
    LEFT_FOLLOW = "left_follow"
    RIGHT_FOLLOW = "right_follow"
    PAN_LEFT = "pan_left"
    PAN_RIGHT = "pan_right"
    FIX_BG = "fix_bg"


class ThinkingType(str, Enum):
    """Server-side prompt enhancement switch."""

    ENABLED = "enabled"
    DISABLED = "disabled"
    AUTO = "auto"


class ReferenceType(str, Enum):
    """Role of an image in a fusion request."""

    SUBJECT = "subject"
    BACKGROUND = "background"


class MediaType(str, Enum):
    """Kind of an uploaded media file."""

    VIDEO = "video"
    AUDIO = "audio"


class TemplateType(IntEnum):
    """Effect template families in the template list (query ``type``)."""

    VIDEO = 1
    IMAGE = 2


class CreationMode(str, Enum):
    """Generation modes, named by PixVerse's own creation types.

    An effect is not a mode of its own: it is ``image_to_video`` or ``text_to_video`` with a ``template_id``.
    """

    TEXT_TO_VIDEO = "text_to_video"
    IMAGE_TO_VIDEO = "image_to_video"
    TRANSITION = "transition"
    MULTI_TRANSITION = "multi_transition"
    FUSION = "fusion"
    EXTEND = "extend"
    LIP_SYNC = "lip_sync"
    SOUND_EFFECT = "sound_effect"
    RESTYLE = "restyle"
    SWAP = "swap"
    MIMIC = "mimic"
    MODIFY = "modify"


class VideoStatus(IntEnum):
    """``status`` of a video record. Any other value is treated as "still generating"."""

    SUCCEEDED = 1
    GENERATING = 5
    DELETED = 6
    MODERATION_FAILED = 7
    FAILED = 8

    @classmethod
    def is_terminal(cls, status: int) -> bool:
        """True for 1, 6, 7 and 8; unknown codes (PixVerse has hinted at 2 and 3) are not terminal."""
        return status in (cls.SUCCEEDED, cls.DELETED, cls.MODERATION_FAILED, cls.FAILED)
