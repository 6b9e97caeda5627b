"""Media intake: magic-byte validation, streaming size limit, image/video processing, storage."""
