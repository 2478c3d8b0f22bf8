from .announcements import Announcement, MaintenanceMode

__all__ = ["Announcement", "MaintenanceMode"]
