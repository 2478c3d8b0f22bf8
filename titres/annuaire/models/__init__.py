from .announcements import Announcement, MaintenanceMode
from .directory import CommuneCentre, DirectoryEntry, ImportReport

__all__ = ["Announcement", "CommuneCentre", "DirectoryEntry", "ImportReport", "MaintenanceMode"]
