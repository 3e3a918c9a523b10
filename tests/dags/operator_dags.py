"""One DAG per PixVerse operator, written the way the user guide recommends, run by tests/system/test_operators.py.

They use what a DAG author uses: templated fields fed by DAG params (rendered as text, which the operators
coerce to the API's ints and bools), ids passed from upload tasks by ``XComArg``, files given directly as
paths or ``ObjectStoragePath`` (``memory://``, attached by tests/conftest.py), and a finished generation
(``wait_for_completion=True``) as the source of the modes that edit a video.

The input files are written at import time to a fixed temp folder, with fixed contents: this file is also
imported by dag.test()'s bundle sync, so it must import quickly and identically every time.
"""

from __future__ import annotations

import os
import tempfile
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from airflow.sdk import DAG, ObjectStoragePath

from pixverse_provider.emulator.synthetic import make_mp4_with_duration, make_png, make_wav
from pixverse_provider.operators import (
    PixVerseEffectOperator,
    PixVerseExtendOperator,
    PixVerseFusionOperator,
    PixVerseImageToVideoOperator,
    PixVerseLipSyncOperator,
    PixVerseMimicOperator,
    PixVerseModifyOperator,
    PixVerseMultiTransitionOperator,
    PixVerseRestyleOperator,
    PixVerseSoundEffectOperator,
    PixVerseSwapOperator,
    PixVerseTextToVideoOperator,
    PixVerseTransitionOperator,
    PixVerseUploadImageOperator,
    PixVerseUploadMediaOperator,
)

# --- input files ---------------------------------------------------------------------------------------------

MEDIA = Path(tempfile.gettempdir()) / "pixverse-operator-dags"
STORE = "memory://pixverse-operator-dags"

CAT_PNG = make_png(64, 48, rgb=(30, 120, 200))
DOG_PNG = make_png(48, 64, rgb=(200, 120, 30))
BIRD_PNG = make_png(40, 40, rgb=(90, 200, 90))
CLIP_MP4 = make_mp4_with_duration(3)
VOICE_WAV = make_wav(2)

CAT = str(MEDIA / "cat.png")
DOG = str(MEDIA / "dog.png")
CLIP = str(MEDIA / "clip.mp4")
VOICE = str(MEDIA / "voice.wav")
STORED_BIRD = f"{STORE}/bird.png"
STORED_VOICE = f"{STORE}/voice.wav"

FAILURES = Path(os.environ.get("AIRFLOW_HOME", MEDIA)) / "pixverse-operator-failures"
"""``<dag_id>.<task_id>.txt`` holds the error a task failed with (written by ``remember_failure``)."""


def _write(path: Path, data: bytes) -> None:
    """Write ``path`` unless it already holds ``data``; atomically, as other processes may read it."""
    if path.is_file() and path.read_bytes() == data:
        return
    partial = path.with_name(f".{path.name}.{os.getpid()}")
    partial.write_bytes(data)
    partial.replace(path)


def _write_inputs() -> None:
    MEDIA.mkdir(exist_ok=True)
    FAILURES.mkdir(parents=True, exist_ok=True)
    for name, data in (("cat.png", CAT_PNG), ("dog.png", DOG_PNG), ("clip.mp4", CLIP_MP4), ("voice.wav", VOICE_WAV)):
        _write(MEDIA / name, data)
    ObjectStoragePath(STORED_BIRD).write_bytes(BIRD_PNG)
    ObjectStoragePath(STORED_VOICE).write_bytes(VOICE_WAV)


_write_inputs()


def remember_failure(context: Any) -> None:
    """Keep a failed task's error message where the tests can read it (dag.test() keeps only the state)."""
    ti = context["ti"]
    (FAILURES / f"{ti.dag_id}.{ti.task_id}.txt").write_text(str(context.get("exception")))


# --- template and preset ids of the emulator's catalogue --------------------------------------------------

ROBOT_TEMPLATE = 313358700761536  # "Anything, Robot": one image
KISS_TEMPLATE = 315446315336768  # "Kiss Kiss": two images
FIREWORKS_TEMPLATE = 402331965264704  # "Fireworks": no image, applied as text-to-video
ANIME_RESTYLE = 360000000000001

DEFAULT_ARGS: dict[str, Any] = {
    "retries": 2,
    "retry_delay": timedelta(seconds=1),
    "on_failure_callback": remember_failure,
}
START = datetime(2026, 1, 1)
DAGS: dict[str, DAG] = {}


def pixverse_dag(dag_id: str, **params: Any) -> DAG:
    dag = DAG(dag_id, schedule=None, start_date=START, catchup=False, default_args=DEFAULT_ARGS, params=params)
    DAGS[dag_id] = dag
    return dag


def finished_source(task_id: str = "source") -> PixVerseTextToVideoOperator:
    """A text-to-video that waits until it has finished, so that its ``video_id`` is a usable source video."""
    return PixVerseTextToVideoOperator(
        task_id=task_id,
        prompt="A street musician plays the violin",
        wait_for_completion=True,
        deferrable=False,
        poll_interval=1,
        timeout=120,
    )


# --- uploads ---------------------------------------------------------------------------------------------------

with pixverse_dag("upload_image", bird="bird.png"):
    PixVerseUploadImageOperator(task_id="upload_path", image=CAT)
    PixVerseUploadImageOperator(task_id="upload_store", image=ObjectStoragePath(f"{STORE}/{{{{ params.bird }}}}"))

with pixverse_dag("upload_media"):
    PixVerseUploadMediaOperator(task_id="upload_clip", file=CLIP)
    PixVerseUploadMediaOperator(task_id="upload_voice", file=ObjectStoragePath(STORED_VOICE))

# --- prompt-driven modes -----------------------------------------------------------------------------------

with pixverse_dag("text_to_video", subject="A red fox", duration=5, seed=42):
    PixVerseTextToVideoOperator(
        task_id="fox",
        prompt="{{ params.subject }} at dawn",
        duration="{{ params.duration }}",
        seed="{{ params.seed }}",
        negative_prompt="blurry, low quality",
    )
    PixVerseTextToVideoOperator(
        task_id="fox_v6",
        prompt="{{ params.subject }} at dusk",
        model="v6",
        duration=3,
        quality="720p",
        aspect_ratio="21:9",
        generate_audio_switch=True,
    )

with pixverse_dag("image_to_video", subject="The cat"):
    upload_cat = PixVerseUploadImageOperator(task_id="upload_cat", image=CAT)
    PixVerseImageToVideoOperator(
        task_id="animate_upload", img_id=upload_cat.output, prompt="{{ params.subject }} waves", quality="720p"
    )
    upload_cat >> PixVerseImageToVideoOperator(  # a pulled XCom is no XComArg: the dependency is explicit
        task_id="animate_pulled_id",
        img_id="{{ ti.xcom_pull(task_ids='upload_cat') }}",  # renders as text: "310000000000001"
        prompt="{{ params.subject }} blinks",
        duration=8,
        seed=7,
    )
    PixVerseImageToVideoOperator(task_id="animate_file", image=DOG, prompt="The dog wags its tail")

with pixverse_dag("transition", duration=8):
    upload_dog = PixVerseUploadImageOperator(task_id="upload_dog", image=DOG)
    PixVerseTransitionOperator(
        task_id="cat_to_dog",
        first_frame_image=CAT,
        last_frame_img=upload_dog.output,
        prompt="The cat slowly turns into a dog",
        duration="{{ params.duration }}",
    )

with pixverse_dag("effect_single_image"):
    PixVerseEffectOperator(
        task_id="robot",
        template_id=ROBOT_TEMPLATE,
        image=ObjectStoragePath(STORED_BIRD),
        sound_effect_switch=True,
    )

with pixverse_dag("effect_multi_image"):
    upload_cat = PixVerseUploadImageOperator(task_id="upload_cat", image=CAT)
    upload_dog = PixVerseUploadImageOperator(task_id="upload_dog", image=DOG)
    PixVerseEffectOperator(task_id="kiss", template_id=KISS_TEMPLATE, img_ids=[upload_cat.output, upload_dog.output])

with pixverse_dag("effect_text_template"):
    PixVerseEffectOperator(task_id="fireworks", template_id=FIREWORKS_TEMPLATE)

with pixverse_dag("multi_transition", segment=2):
    upload_cat = PixVerseUploadImageOperator(task_id="upload_cat", image=CAT)
    PixVerseMultiTransitionOperator(
        task_id="cat_dog_cat",
        multi_transition=[
            {"img_id": upload_cat.output, "duration": 3, "prompt": "the cat jumps"},
            {"image": DOG, "duration": "{{ params.segment }}", "prompt": "the dog lands"},
            {"img_id": upload_cat.output},
        ],
    )

with pixverse_dag("fusion", place="garden", seed=1234):
    upload_cat = PixVerseUploadImageOperator(task_id="upload_cat", image=CAT)
    PixVerseFusionOperator(
        task_id="cat_in_garden",
        image_references=[
            {"ref_name": "cat", "type": "subject", "img_id": upload_cat.output},
            {"ref_name": "{{ params.place }}", "type": "background", "image": DOG},
        ],
        prompt="@cat naps in the sun of @{{ params.place }} at noon",
        seed="{{ params.seed }}",
    )

with pixverse_dag("extend", seed=7):
    source = finished_source()
    PixVerseExtendOperator(
        task_id="extend_generated",
        source_video_id=source.output,
        prompt="The camera pulls back to reveal the city",
        seed="{{ params.seed }}",
    )
    PixVerseExtendOperator(task_id="extend_file", video=CLIP, prompt="The sun sets", seed=0, duration=8)

# --- sound ------------------------------------------------------------------------------------------------------

with pixverse_dag("lip_sync", line="Hello from Airflow!"):
    source = finished_source()
    upload_clip = PixVerseUploadMediaOperator(task_id="upload_clip", file=CLIP)
    PixVerseLipSyncOperator(task_id="sing_along", source_video_id=source.output, audio=VOICE)
    PixVerseLipSyncOperator(
        task_id="say_hello",
        video_media_id=upload_clip.output,
        lip_sync_tts_speaker_id="Auto",
        lip_sync_tts_content="{{ params.line }}",
    )

with pixverse_dag("sound_effect", sound="soft rain on a tin roof", keep_original=True):
    source = finished_source()
    PixVerseSoundEffectOperator(
        task_id="add_rain",
        source_video_id=source.output,
        sound_effect_content="{{ params.sound }}",
        original_sound_switch="{{ params.keep_original }}",
    )
    PixVerseSoundEffectOperator(task_id="derive_sound", video=CLIP)

# --- edits ------------------------------------------------------------------------------------------------------

with pixverse_dag("restyle", restyle_id=ANIME_RESTYLE):
    upload_clip = PixVerseUploadMediaOperator(task_id="upload_clip", file=CLIP)
    PixVerseRestyleOperator(task_id="anime", video_media_id=upload_clip.output, restyle_id="{{ params.restyle_id }}")
    PixVerseRestyleOperator(task_id="watercolour", video=CLIP, restyle_prompt="a soft watercolour painting", seed=3)

with pixverse_dag("swap", mask="person"):
    source = finished_source()
    upload_dog = PixVerseUploadImageOperator(task_id="upload_dog", image=DOG)
    PixVerseSwapOperator(task_id="swap_person", video=CLIP, mask_name="{{ params.mask }}", image=CAT)
    PixVerseSwapOperator(
        task_id="swap_background",
        source_video_id=source.output,
        mask_name="background",
        img_id=upload_dog.output,
        quality="720p",
    )

with pixverse_dag("mimic", quality="360p"):
    upload_cat = PixVerseUploadImageOperator(task_id="upload_cat", image=CAT)
    upload_clip = PixVerseUploadMediaOperator(task_id="upload_clip", file=CLIP)
    PixVerseMimicOperator(
        task_id="cat_dances",
        img_id=upload_cat.output,
        video_media_id=upload_clip.output,
        quality="{{ params.quality }}",
    )

with pixverse_dag("modify", keyframe=3):
    source = finished_source()
    upload_cat = PixVerseUploadImageOperator(task_id="upload_cat", image=CAT)
    PixVerseModifyOperator(
        task_id="make_it_night",
        source_video_id=source.output,
        prompt="Make it night, with @img0 glowing in the sky",
        img_ids=[upload_cat.output],
        keyframe_ids="{{ params.keyframe }}",
        quality="720p",
    )
    PixVerseModifyOperator(task_id="add_rainbow", video=CLIP, prompt="Add @img0 under a rainbow", images=[DOG])

# --- inputs that must fail before anything is sent (the DAGs set retries=2: none may be used) ---------------

with pixverse_dag("bad_duration", duration=10):
    PixVerseTextToVideoOperator(task_id="fox", prompt="A red fox", duration="{{ params.duration }}")

with pixverse_dag("bad_seed", seed=-3):  # renders "-3": must be judged as -3, not as text
    PixVerseTextToVideoOperator(task_id="fox", prompt="A red fox", seed="{{ params.seed }}")

with pixverse_dag("bad_img_id"):
    PixVerseImageToVideoOperator(task_id="animate", img_id="{{ '12a' }}", prompt="The cat waves")

with pixverse_dag("bad_tts_text", line="la " * 70):
    PixVerseLipSyncOperator(
        task_id="say_too_much", video=CLIP, lip_sync_tts_speaker_id="Auto", lip_sync_tts_content="{{ params.line }}"
    )

with pixverse_dag("bad_mask_name", mask="sky"):
    PixVerseSwapOperator(task_id="swap_sky", video=CLIP, mask_name="{{ params.mask }}", image=DOG)
