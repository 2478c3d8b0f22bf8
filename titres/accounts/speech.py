"""The spoken CAPTCHA: digits said in French by espeak-ng, then mixed with noise.

Why not django-simple-captcha's own audio: it calls `flite -t … -o …`
(English only, letters spelled in English, no time limit on the process, no
rate limit), and espeak-ng's command line is not flite's. espeak-ng is a
Debian package (`apt-get install espeak-ng`, done by scripts/bootstrap.sh when
it runs as root); without it `available()` is False and the form simply does
not offer the audio challenge.

A script must not get the digits by comparing waveforms with recordings of
each digit, so every rendering differs: voice variant, speed, pitch and
volume of each digit, the silences between them, and background noise at a
random level. A person hears six clearly separated French digits."""

from __future__ import annotations

import array
import io
import random
import secrets
import shutil
import subprocess
import sys
import wave

from django.conf import settings

_DIGITS = ["zéro", "un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf"]
_VARIANTS = ["m1", "m2", "m3", "m4", "m7", "f1", "f2", "f3", "f4"]
SAMPLE_RATE = 22050
# A 6-digit challenge lasts 4-6 s; anything larger is not espeak-ng's normal output.
MAX_PCM_BYTES = 2 * SAMPLE_RATE * 20
TIMEOUT_SECONDS = 5


class SpeechUnavailable(Exception):
    """espeak-ng is missing, failed or took too long."""


def espeak_path() -> str:
    configured = getattr(settings, "CAPTCHA_ESPEAK_PATH", None)
    if configured is not None:
        return configured  # "" turns the audio challenge off
    return shutil.which("espeak-ng") or ""


def available() -> bool:
    return bool(espeak_path())


def _between(low: int, high: int) -> int:
    return low + secrets.randbelow(high - low + 1)


def _ssml(digits: str) -> str:
    parts = [f'<speak><break time="{_between(300, 700)}ms"/>']
    for digit in digits:
        rate, pitch, volume = _between(70, 95), _between(-15, 15), _between(85, 115)
        parts.append(
            f'<prosody rate="{rate}%" pitch="{pitch:+d}%" volume="{volume}%">'
            f"{_DIGITS[int(digit)]}</prosody>"
        )
        parts.append(f'<break time="{_between(450, 900)}ms"/>')
    parts.append("</speak>")
    return "".join(parts)


def _pcm_from_stdout(data: bytes) -> bytes:
    # With --stdout the RIFF sizes are placeholders: the samples are
    # whatever follows the "data" chunk header.
    start = data.find(b"data")
    if not data.startswith(b"RIFF") or start < 0:
        raise SpeechUnavailable("sortie inattendue d’espeak-ng")
    return data[start + 8 :][:MAX_PCM_BYTES]


def _with_noise(pcm: bytes) -> bytes:
    samples = array.array("h")
    samples.frombytes(pcm[: len(pcm) // 2 * 2])
    if sys.byteorder == "big":
        samples.byteswap()
    level = _between(600, 1400)  # ≈ 20-28 dB below the voice's peaks
    gain = _between(85, 100) / 100
    # Noise needs to be unpredictable, not cryptographic: one secret seed.
    rand = random.Random(secrets.randbits(64)).random
    white = [(rand() - 0.5) * level for _ in range(len(samples))]
    hum = 0.0
    for index, value in enumerate(samples):
        # Brown-ish noise (a random walk pulled back to zero) plus white noise.
        noise = white[index]
        hum = hum * 0.98 + noise * 0.4
        mixed = int(value * gain + hum + noise * 0.6)
        samples[index] = -32768 if mixed < -32768 else 32767 if mixed > 32767 else mixed
    if sys.byteorder == "big":
        samples.byteswap()
    return samples.tobytes()


def spoken_digits(digits: str) -> bytes:
    """A WAV file (mono, 16 bits, 22 050 Hz) of `digits` said in French."""
    if not digits.isdigit() or len(digits) > 12:
        raise ValueError("digits only")
    path = espeak_path()
    if not path:
        raise SpeechUnavailable("espeak-ng n’est pas installé")
    voice = "fr+" + _VARIANTS[secrets.randbelow(len(_VARIANTS))]
    try:
        # The command is ours and the text is digits we generated (checked above).
        result = subprocess.run(  # noqa: S603
            [path, "-v", voice, "-m", "-s", str(_between(140, 165)), "--stdout", _ssml(digits)],
            capture_output=True,
            timeout=TIMEOUT_SECONDS,
            check=True,
        )
    except (OSError, subprocess.SubprocessError) as error:
        raise SpeechUnavailable(str(error)) from error
    pcm = _with_noise(_pcm_from_stdout(result.stdout))
    out = io.BytesIO()
    with wave.open(out, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(SAMPLE_RATE)
        wav.writeframes(pcm)
    return out.getvalue()
