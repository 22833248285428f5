"""Inspecting a zip archive (``.xlsx``, ``.ods``, a zipped shapefile) before anything in it is inflated.

Only the central directory is read: names, declared sizes and compression methods. An archive
that would inflate beyond the limits, holds too many members or another archive, or whose
member paths climb out of its folder is refused here, in a few milliseconds, whatever its
content. Declared sizes can lie: what a member really inflates to is then bounded by the
worker's memory limit (:mod:`core.uploads.sandbox`) and by :func:`read_member`.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath

from core.domain.formatting import format_number
from core.uploads.table import UploadError, UploadLimits

NESTED_EXTENSIONS = (".zip", ".gz", ".tgz", ".bz2", ".xz", ".7z", ".rar", ".tar", ".jar", ".xlsx", ".ods", ".docx")
RATIO_FLOOR_BYTES = 1024 * 1024  # members smaller than this may compress as much as they like
CHUNK_BYTES = 1024 * 1024


@dataclass(frozen=True)
class ArchiveSummary:
    """What the central directory of an archive declares."""

    names: list[str]
    inflated_bytes: int
    compressed_bytes: int


def _mb(size: float) -> str:
    return format_number(size / 1_048_576, 1)


def inspect_archive(data: bytes, filename: str, limits: UploadLimits) -> ArchiveSummary:
    """Check an archive's central directory against the limits, without inflating anything.

    Parameters
    ----------
    data : bytes
        The archive.
    filename : str
        Its name, for the messages.
    limits : UploadLimits
        ``max_inflated_bytes``, ``max_ratio`` and ``max_members``.

    Returns
    -------
    ArchiveSummary

    Raises
    ------
    UploadError
        Unreadable archive; total inflated size, member count or one member's compression ratio
        over the limits; a nested archive; a member path that is absolute or climbs out of the
        archive's folder; an encrypted member or an unknown compression method.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError) as error:
        raise UploadError(
            f"« {filename} » n'a pas pu être lu : archive zip endommagée ({error}). Enregistrez le fichier de nouveau "
            "depuis votre logiciel, ou zippez-le de nouveau."
        ) from error
    if len(members) > limits.max_members:
        raise UploadError(
            f"« {filename} » contient {format_number(len(members))} fichiers, au-delà de la limite de "
            f"{format_number(limits.max_members)} : ce n'est pas un classeur ou un shapefile ordinaire. "
            "Fournissez seulement les fichiers utiles."
        )
    inflated = sum(m.file_size for m in members)
    if inflated > limits.max_inflated_bytes:
        raise UploadError(
            f"« {filename} » se décompresserait en {_mb(inflated)} Mo (archive de {_mb(len(data))} Mo), au-delà de "
            f"la limite de {_mb(limits.max_inflated_bytes)} Mo : fichier piégé ou bien trop volumineux, il est refusé "
            "sans être ouvert. Gardez seulement les données utiles ou découpez le fichier."
        )
    for member in members:
        name = member.filename
        path = PurePosixPath(name.replace("\\", "/"))
        if path.is_absolute() or ".." in path.parts or (len(name) > 1 and name[1] == ":"):
            raise UploadError(
                f"« {filename} » contient un fichier au chemin « {name} » qui sort du dossier de l'archive : archive "
                "piégée, refusée. Zippez de nouveau seulement les fichiers utiles."
            )
        if name.lower().endswith(NESTED_EXTENSIONS):
            raise UploadError(
                f"« {filename} » contient une autre archive (« {path.name} ») : les archives imbriquées ne sont pas "
                "lues. Fournissez directement le fichier qu'elle contient, ou retirez l'objet incorporé."
            )
        if member.flag_bits & 0x1:
            raise UploadError(
                f"« {filename} » est protégé par un mot de passe (« {path.name} » est chiffré) : retirez la protection "
                "et fournissez-le de nouveau."
            )
        if member.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise UploadError(
                f"« {filename} » utilise une méthode de compression non lue (« {path.name} ») : enregistrez-le de "
                "nouveau depuis votre tableur ou zippez-le avec la compression ordinaire (deflate)."
            )
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > RATIO_FLOOR_BYTES and ratio > limits.max_ratio:
            raise UploadError(
                f"« {filename} » contient « {path.name} », comprimé {format_number(ratio)} fois "
                f"({_mb(member.file_size)} Mo pour {_mb(member.compress_size)} Mo), bien au-delà d'un fichier "
                f"ordinaire (limite : {format_number(limits.max_ratio)} fois) : fichier piégé, refusé sans être ouvert."
            )
    return ArchiveSummary([m.filename for m in members], inflated, sum(m.compress_size for m in members))


def read_member(archive: zipfile.ZipFile, name: str, filename: str) -> bytes:
    """One member's bytes, never more than its declared size (an archive lying about it is refused).

    Raises
    ------
    UploadError
        When the member inflates to more than it declares, or its checksum is wrong.
    """
    info = archive.getinfo(name)
    chunks, total = [], 0
    try:
        with archive.open(info) as stream:
            while chunk := stream.read(CHUNK_BYTES):
                total += len(chunk)
                if total > info.file_size:
                    raise UploadError(f"« {filename} » ment sur la taille de « {name} » : archive piégée, refusée.")
                chunks.append(chunk)
    except (zipfile.BadZipFile, OSError, EOFError) as error:
        raise UploadError(f"« {filename} » : « {name} » est endommagé ({error}). Zippez-le de nouveau.") from error
    return b"".join(chunks)
