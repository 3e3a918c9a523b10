"""A human in the loop: generate a video, a reviewer approves it (published) or rejects it with a note
(generated again, the note appended to the prompt), at most ``max_regenerations`` times.

Each round is a task group: ``generate`` (a PixVerse text-to-video that waits in the triggerer and lands the
file in ``output_dir``) → ``review`` (Airflow's ``HITLOperator``: the reviewer answers "Approve" or "Reject"
with a note, in the UI's Required Actions or through the REST API) → ``decide`` (a branch) → ``publish``
(copies the landed file to ``publish_dir`` and emits the ``pixverse://videos/reviewed`` asset) or the next
round's ``generate``. The review's text links to the generate task's PixVerse tab, so the reviewer watches
the video without leaving the run.

Why unrolled rounds: a DAG cannot loop, so the rounds are written out, ``MAX_REGENERATIONS + 1`` of them, and
``decide`` picks the next step at run time. ``max_regenerations`` (a run parameter, at most
``MAX_REGENERATIONS``) caps the regenerations: one more rejection fails ``decide``, naming the limit, and the
rounds not reached are skipped. One run holds the whole story (every video, every answer, in one grid), and
the branch decides with plain Python. The alternatives were worse here: a DAG that triggers a new run of
itself on each rejection splits one review over several runs and must carry the round count in its conf,
and dynamic task mapping cannot make a task depend on an answer given after the mapping was expanded.
Skipped rounds cost nothing: no task of a round runs unless the previous round was rejected.

Why ``HITLOperator`` with a branch task and not ``HITLBranchOperator``: the branch operator's result is the
chosen task, not the reviewer's note, and the note is what the next prompt needs; ``HITLOperator`` returns
both the choice and the form's fields (XCom ``return_value``), and ``decide`` also enforces the limit.

The HITL operators come with Airflow 3.1+ (``apache-airflow-providers-standard``). A review is answered
only through Airflow's api-server, so this DAG runs in a deployment, not with ``dag.test()``.
"""

from __future__ import annotations

import os
from typing import Any
from urllib.parse import quote

from airflow.providers.common.compat.sdk import AirflowFailException, conf
from airflow.providers.standard.operators.hitl import HITLOperator
from airflow.sdk import DAG, Asset, ObjectStoragePath, Param, TaskGroup, get_current_context, task

from pixverse_provider.operators import PixVerseTextToVideoOperator

MAX_REGENERATIONS = 3
"""The most regenerations a run may allow: the rounds written out in the DAG are one more than this."""
APPROVE, REJECT = "Approve", "Reject"
REVIEWED_VIDEO = Asset("pixverse://videos/reviewed")
OUTPUT_DIR = os.environ.get("PIXVERSE_OUTPUT_DIR", "/tmp/pixverse-videos")
VIDEO_TAB = "plugin/pixverse-video"
"""The PixVerse tab of a task instance in the Airflow UI (the provider's UI plugin)."""

REVIEW_BODY = """\
**Prompt:** %(prompt)s

[Watch the video in the run's PixVerse tab]({{ video_tab(dag.dag_id, run_id, '%(generate)s') }}) · \
[the video file]({{ ti.xcom_pull(task_ids='%(generate)s', key='video')['url'] }})

**Approve** publishes it to `{{ params.publish_dir }}`. \
{%% if params.max_regenerations >= %(round)d %%}**Reject** generates it again with your note appended to the prompt \
({{ params.max_regenerations - %(round)d + 1 }} regeneration(s) left).\
{%% else %%}**Reject** fails the run: max_regenerations={{ params.max_regenerations }} allows no more videos.\
{%% endif %%}
"""


def video_tab(dag_id: str, run_id: str, task_id: str, map_index: int = -1) -> str:
    """The Airflow UI address (``[api] base_url``) of a task instance's PixVerse tab; ``map_index`` >= 0: a
    mapped instance's."""
    base_url = conf.get("api", "base_url", fallback="").rstrip("/")
    instance = f"{base_url}/dags/{quote(dag_id)}/runs/{quote(run_id, safe='')}/tasks/{quote(task_id)}"
    if map_index >= 0:
        instance += f"/mapped/{map_index}"
    return f"{instance}/{VIDEO_TAB}"


def with_note(prompt: str, note: str) -> str:
    """The prompt of the next round: the reviewer's note appended (unchanged when there is no note)."""
    note = note.strip()
    return f"{prompt.rstrip().rstrip('.')}. {note}" if note else prompt


@task.branch(task_id="decide")
def decide(round_number: int, prompt: str, review: dict[str, Any], params: dict[str, Any]) -> str:
    """Approve: this round's ``publish``. Reject: the next round's ``generate``, with the note appended to
    the prompt (XCom ``next_prompt``), unless the run's ``max_regenerations`` is used up."""
    choice = review["chosen_options"][0]
    note = str((review.get("params_input") or {}).get("note") or "")
    if choice == APPROVE:
        return f"round_{round_number}.publish"
    limit = params["max_regenerations"]
    if round_number > limit:
        raise AirflowFailException(
            f"The reviewer rejected the video {round_number} time(s) and max_regenerations={limit}: "
            "no more videos are generated. Trigger a new run with a higher max_regenerations "
            f"(at most {MAX_REGENERATIONS}) or a new prompt."
        )
    next_prompt = with_note(prompt, note)
    get_current_context()["ti"].xcom_push(key="next_prompt", value=next_prompt)
    return f"round_{round_number + 1}.generate"


@task(task_id="publish", outlets=[REVIEWED_VIDEO])
def publish(video_path: str, video_id: int, prompt: str, review: dict[str, Any], params: dict[str, Any]) -> str:
    """Copy the approved video to ``publish_dir`` (any ObjectStoragePath: a folder, ``s3://conn@bucket/...``)
    and announce it as the ``pixverse://videos/reviewed`` asset; returns the published URI."""
    source = ObjectStoragePath(video_path)
    target = ObjectStoragePath(params["publish_dir"]) / source.name
    target.parent.mkdir(parents=True, exist_ok=True)  # a local folder; object stores have none to make
    source.copy(target)
    reviewer = review.get("responded_by_user") or {}
    extra = {"video_id": int(video_id), "path": str(target), "prompt": prompt, "reviewer": reviewer.get("name")}
    get_current_context()["outlet_events"][REVIEWED_VIDEO].extra.update(extra)
    return str(target)


with DAG(
    "pixverse_review",
    schedule=None,
    catchup=False,
    tags=["pixverse", "example", "review"],
    doc_md=__doc__,
    user_defined_macros={"video_tab": video_tab},
    params={
        "prompt": Param(
            "A paper boat sailing down a rainy street at dusk, cinematic",
            type="string",
            pattern=r"\S",
            description="What the first video shows (not blank); each rejection's note is appended to it.",
        ),
        "max_regenerations": Param(
            2,
            type="integer",
            minimum=0,
            maximum=MAX_REGENERATIONS,
            description=f"How many times a rejected video is generated again (0 to {MAX_REGENERATIONS}).",
        ),
        "output_dir": Param(f"{OUTPUT_DIR}/review/", type="string", description="Where every candidate lands."),
        "publish_dir": Param(f"{OUTPUT_DIR}/published/", type="string", description="Where approved videos go."),
    },
) as dag:
    prompt = "{{ params.prompt }}"
    previous_decision: Any = None
    for round_number in range(1, MAX_REGENERATIONS + 2):
        with TaskGroup(f"round_{round_number}"):
            generate_id = f"round_{round_number}.generate"
            generate = PixVerseTextToVideoOperator(
                task_id="generate",
                prompt=prompt,
                model="v5",
                duration=5,
                quality="540p",
                aspect_ratio="16:9",
                max_credits=60,
                wait_for_completion=True,
                deferrable=True,
                poll_interval=5,
                output_path="{{ params.output_dir }}",
            )
            review = HITLOperator(
                task_id="review",
                subject=f"Review the PixVerse video (round {round_number})",
                body=REVIEW_BODY % {"prompt": prompt, "generate": generate_id, "round": round_number},
                options=[APPROVE, REJECT],
                params={
                    "note": Param(
                        "",
                        type="string",
                        title="Note",
                        description="On Reject: what to change. It is appended to the prompt of the next video.",
                    )
                },
            )
            choice = decide(round_number, prompt, review.output)
            published = publish(
                f"{{{{ ti.xcom_pull(task_ids='{generate_id}', key='video_path') }}}}",
                generate.output,
                prompt,
                review.output,
            )
            if previous_decision is not None:
                previous_decision >> generate
            generate >> review >> choice >> published
            previous_decision = choice
        prompt = f"{{{{ ti.xcom_pull(task_ids='round_{round_number}.decide', key='next_prompt') }}}}"
