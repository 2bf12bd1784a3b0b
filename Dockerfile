# syntax=docker/dockerfile:1
# Multi-stage build: a wheel is built in the first stage, installed into a clean slim image.
FROM python:3.11-slim AS build
WORKDIR /src
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY guide ./guide
COPY intents ./intents
COPY storage ./storage
COPY ocr ./ocr
RUN pip install --no-cache-dir build==1.2.2 && python -m build --wheel --outdir /wheels

FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    DATA_DIR=/data \
    DATABASE_URL=sqlite+aiosqlite:////data/weiquan.db
COPY --from=build /wheels /wheels
# The OCR extra pulls opencv-python, which needs libGL; the slim image gets the headless build instead.
# The wheel is the one built above, so it has no version to pin.
# hadolint ignore=DL3013
RUN whl="$(ls /wheels/*.whl)" && pip install --no-cache-dir "${whl}[ocr]" && rm -rf /wheels \
    && pip uninstall --yes opencv-python \
    && pip install --no-cache-dir "opencv-python-headless>=4.8,<6" \
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
