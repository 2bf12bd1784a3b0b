# syntax=docker/dockerfile:1
# Multi-stage build: a wheel is built in the first stage, installed into a clean slim image.
# The base image is pinned by digest: a rebuild gets the same bytes, not whatever the tag points
# at that day. `make pin-base` looks the tag's current digest up (needs registry access) and
# writes it here. The digest below was copied from public Dockerfiles that pin python:3.11-slim
# (the same value in two unrelated projects); this project's build machines cannot reach a
# container registry, so it was not re-checked here: run `make pin-base` before the first build.
ARG PYTHON_IMAGE=python:3.11-slim@sha256:9c900dea9e8fb7e16277c179b555cc72d29a352dbc33cff48ad5a0412fd5bfc7
FROM ${PYTHON_IMAGE} AS build
WORKDIR /src
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY datafiles ./datafiles
COPY domain ./domain
COPY guide ./guide
COPY intents ./intents
COPY storage ./storage
COPY ocr ./ocr
RUN pip install --no-cache-dir build==1.2.2 && python -m build --wheel --outdir /wheels

FROM ${PYTHON_IMAGE}
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    DATA_DIR=/data \
    DATABASE_URL=sqlite:////data/weiquan.db
COPY --from=build /wheels /wheels
COPY requirements.lock /tmp/requirements.lock
# Every dependency from the lock file, checked against its SHA-256 hashes (the OCR extra's
# opencv comes as the headless build: the slim image has no libGL); then the wheel built above
# without resolving anything again. The wheel has no version to pin.
# A CJK font for the printable PDF export (guide/pdf.py finds it at run time).
RUN apt-get update \
    && apt-get install -y --no-install-recommends fonts-wqy-microhei=0.2.0-beta-3.1 \
    && rm -rf /var/lib/apt/lists/*
# hadolint ignore=DL3013
RUN pip install --no-cache-dir --require-hashes -r /tmp/requirements.lock \
    && whl="$(ls /wheels/*.whl)" && pip install --no-cache-dir --no-deps "${whl}" \
    && rm -rf /wheels /tmp/requirements.lock \
    && groupadd --gid 10001 weiquan && useradd --create-home --uid 10001 --gid 10001 weiquan \
    && mkdir -p /data && chown weiquan:weiquan /data
USER 10001:10001
WORKDIR /home/weiquan
VOLUME ["/data"]
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=10s --start-period=20s --retries=3 \
    CMD ["weiquan-bot", "doctor", "--offline"]
STOPSIGNAL SIGTERM
ENTRYPOINT ["weiquan-bot"]
CMD ["run"]
