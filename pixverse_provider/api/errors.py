"""PixVerse ``ErrCode`` values (docs/api-facts.rst, 'Error codes'), grouped by what a caller should do about them."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class ErrorKind(str, Enum):
    """What an error code means for the caller; hooks map each kind to one exception class."""

    AUTHENTICATION = "authentication"
    INVALID_REQUEST = "invalid_request"
    NOT_FOUND = "not_found"
    PERMISSION = "permission"
    MODERATION = "moderation"
    TEMPLATE = "template"
    CONCURRENCY_LIMIT = "concurrency_limit"
    INSUFFICIENT_CREDITS = "insufficient_credits"
    TRANSIENT = "transient"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class ErrorCode:
    """One row of the error table: the code, what it means for the caller, and PixVerse's wording."""

    code: int
    kind: ErrorKind
    message: str


SUCCESS = 0
REQUIRED_PARAMETER_EMPTY = 400011
INVALID_ACCOUNT = 400012
BINDING_ERROR = 400013
INVALID_PARAMETER = 400017
PROMPT_TOO_LONG = 400018
NEGATIVE_PROMPT_TOO_LONG = 400019
INVALID_IMAGE_ID = 400032
NOT_FOUND = 500008
NO_PERMISSION = 500020
IMAGE_TOO_LARGE = 500030
IMAGE_UNREADABLE = 500031
IMAGE_BAD_FORMAT = 500032
IMAGE_BAD_DIMENSIONS = 500033
IMAGE_UPLOAD_FAILED = 500041
IMAGE_BAD_PATH = 500042
CONCURRENCY_LIMIT = 500044
IMAGE_MODERATION_UPLOAD = 500052
IMAGE_MODERATION = 500054
ACTIVATION_LIMIT = 500060
INPUT_MODERATION = 500063
CONTENT_DELETED = 500064
HIGH_LOAD = 500069
TEMPLATE_NOT_ACTIVATED = 500070
TEMPLATE_RESOLUTION = 500071
INSUFFICIENT_BALANCE = 500090
DATABASE_ERROR = 500100
MIMIC_NO_SUBJECT = 701002
MIMIC_NO_PERSON = 701003
UNKNOWN_ERROR = 99999

_K = ErrorKind
ERROR_CODES: dict[int, ErrorCode] = {
    e.code: e
    for e in (
        ErrorCode(REQUIRED_PARAMETER_EMPTY, _K.INVALID_REQUEST, "A required parameter is empty"),
        ErrorCode(INVALID_ACCOUNT, _K.AUTHENTICATION, "Invalid account (check the API key)"),
        ErrorCode(BINDING_ERROR, _K.INVALID_REQUEST, "Invalid binding request: wrong parameter type"),
        ErrorCode(INVALID_PARAMETER, _K.INVALID_REQUEST, "Invalid parameter"),
        ErrorCode(PROMPT_TOO_LONG, _K.INVALID_REQUEST, "Prompt is too long"),
        ErrorCode(NEGATIVE_PROMPT_TOO_LONG, _K.INVALID_REQUEST, "Negative prompt is too long"),
        ErrorCode(INVALID_IMAGE_ID, _K.NOT_FOUND, "Invalid image id"),
        ErrorCode(NOT_FOUND, _K.NOT_FOUND, "Requested data not found"),
        ErrorCode(NO_PERMISSION, _K.PERMISSION, "No permission for this operation"),
        ErrorCode(IMAGE_TOO_LARGE, _K.INVALID_REQUEST, "Image exceeds the size or dimension limit"),
        ErrorCode(IMAGE_UNREADABLE, _K.INVALID_REQUEST, "Could not read image information"),
        ErrorCode(IMAGE_BAD_FORMAT, _K.INVALID_REQUEST, "Invalid image format"),
        ErrorCode(IMAGE_BAD_DIMENSIONS, _K.INVALID_REQUEST, "Invalid image width or height"),
        ErrorCode(IMAGE_UPLOAD_FAILED, _K.TRANSIENT, "Image upload failed"),
        ErrorCode(IMAGE_BAD_PATH, _K.INVALID_REQUEST, "Invalid image path"),
        ErrorCode(CONCURRENCY_LIMIT, _K.CONCURRENCY_LIMIT, "Concurrent generation limit of the plan reached"),
        ErrorCode(IMAGE_MODERATION_UPLOAD, _K.MODERATION, "Image failed review"),
        ErrorCode(IMAGE_MODERATION, _K.MODERATION, "Image failed content moderation"),
        ErrorCode(ACTIVATION_LIMIT, _K.TEMPLATE, "Monthly effect activation limit reached"),
        ErrorCode(INPUT_MODERATION, _K.MODERATION, "Input failed content moderation"),
        ErrorCode(CONTENT_DELETED, _K.NOT_FOUND, "Content has been deleted"),
        ErrorCode(HIGH_LOAD, _K.TRANSIENT, "System under high load, retry later"),
        ErrorCode(TEMPLATE_NOT_ACTIVATED, _K.TEMPLATE, "Template not activated"),
        ErrorCode(TEMPLATE_RESOLUTION, _K.TEMPLATE, "Effect does not support 720p or 1080p"),
        ErrorCode(INSUFFICIENT_BALANCE, _K.INSUFFICIENT_CREDITS, "Insufficient balance"),
        ErrorCode(DATABASE_ERROR, _K.TRANSIENT, "Database error, retry later"),
        ErrorCode(MIMIC_NO_SUBJECT, _K.INVALID_REQUEST, "Image lacks a clear subject"),
        ErrorCode(MIMIC_NO_PERSON, _K.INVALID_REQUEST, "Reference video lacks a person as main focus"),
        ErrorCode(UNKNOWN_ERROR, _K.UNKNOWN, "Unknown error"),
    )
}
# Clients such as PixVerse's MCP server treat 10001-10005 as authentication failures.
for _code in range(10001, 10006):
    ERROR_CODES[_code] = ErrorCode(_code, _K.AUTHENTICATION, "Authentication failed")


def describe(code: int) -> ErrorCode:
    """The table entry for ``code``; codes PixVerse has not documented are ``UNKNOWN``."""
    return ERROR_CODES.get(code) or ErrorCode(code, ErrorKind.UNKNOWN, "Undocumented error code")
