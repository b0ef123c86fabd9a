"""The failures every command and the web app expect: said in one line, never a traceback.
Anything else is a bug and keeps its traceback."""

from .device import config, deploy, flash, sync
from .device.link import LinkError
from .firmware import FirmwareNotFound, settings_file
from .report import command as report
from .report import export
from .report.language import ReportLanguageError
from .report.printout import PrintoutError
from .sim import image
from .sim import simulator as sim
from .store import patient
from .store.database import StoreError
from .web.guard import WebError
from .zones import ZoneError

ERRORS = (
    settings_file.SettingsError,
    sim.SimError,
    FirmwareNotFound,
    StoreError,
    sync.SyncError,
    LinkError,
    config.ConfigError,
    deploy.DeployError,
    flash.FlashError,
    report.ReportError,
    export.ExportError,
    PrintoutError,
    ReportLanguageError,
    patient.PatientError,
    image.ImageError,
    WebError,
    ZoneError,
)
