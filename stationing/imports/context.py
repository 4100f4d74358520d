"""What the rows of one import share: who is importing, what the file defines, what they found.

Lookups are scoped the way the rest of the portal is: an office clerk may import enterprises of
their own territory and station cadres in their own programmes, nothing else. The management
command without --user runs unrestricted (it is run by whoever operates the server).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.contrib.auth.models import User
from django.utils.translation import gettext as _

from core.choices import Role, UnitKind
from core.models import Profile, Unit
from core.roles import actor_for
from core.selectors import territory_regions
from enterprises.models import Enterprise
from enterprises.selectors import enterprise_ids
from stationing.models import Programme, WorkGroup
from stationing.selectors import cadre_list, cadre_unit_list, programme_list

from .base import ParsedRow


class ImportContext:
    def __init__(self, user=None):
        self.user = user
        self.actor = actor_for(user) if user is not None else None
        self.unrestricted = self.actor is None or self.actor.is_superuser
        # Keys the file itself defines, for rows of later sheets to refer to.
        self.file_enterprises: dict[str, ParsedRow] = {}
        self.file_enterprise_names: dict[str, list[str]] = defaultdict(list)
        self.file_cadres: dict[str, ParsedRow] = {}
        # Objects by key: existing ones as validation finds them, new ones as apply creates them.
        self.enterprises: dict[str, Enterprise] = {}
        self.cadres: dict[str, Profile] = {}
        self._db_enterprises: dict[str, Enterprise | None] = {}
        self._visible_enterprises: set[int] | None = None
        self._units: dict[str, list[Unit]] = {}
        self._programmes: dict[str, list[Programme]] = {}
        self._profiles: dict[str, Profile | None] = {}
        self._visible_cadres: set[int] | None = None
        self._work_groups: dict[tuple[int, str], WorkGroup | None] = {}
        # Ids of the units the page and the API offer: regions, cadres' dispatching units.
        self._regions: set[int] | None = None
        self._cadre_units: set[int] | None = None
        # First row seen per key, per kind, to report duplicates inside the file.
        self.seen: dict[str, dict[Any, ParsedRow]] = defaultdict(dict)
        # What a kind's `prepare` fetched in bulk for its rows, by kind.
        self.cache: dict[str, Any] = {}
        # Things the user should know that do not stop the import (e.g. a row skipped).
        self.warnings: list[str] = []

    @property
    def by(self):
        """Recorded as the author of every change (TrackedModel.updated_by)."""
        return self.user

    # --- units ------------------------------------------------------------------------------

    def units_named(self, name: str) -> list[Unit]:
        if name not in self._units:
            exact = list(Unit.objects.filter(name=name))
            self._units[name] = exact or list(Unit.objects.filter(short_name=name))
        return self._units[name]

    def _may_pick_region(self, unit: Unit) -> bool:
        if self.unrestricted:
            return True
        if self._regions is None:
            self._regions = set(territory_regions(self.user).values_list("pk", flat=True))
        return unit.pk in self._regions

    def _may_pick_cadre_unit(self, unit: Unit, current_id: int | None) -> bool:
        if self.unrestricted or unit.pk == current_id:
            return True
        if self._cadre_units is None:
            self._cadre_units = set(cadre_unit_list(user=self.user).values_list("pk", flat=True))
        return unit.pk in self._cadre_units

    def region(self, name: str) -> tuple[Unit | None, str | None]:
        units = self.units_named(name)
        if not units:
            return None, _(
                "系统中没有名为“%(name)s”的属地单位，请填写县区或乡镇（街道）党委政府的单位全称。"
            ) % {"name": name}
        if len(units) > 1:
            return None, _("有多个单位简称为“%(name)s”，请填写单位全称。") % {"name": name}
        unit = units[0]
        if unit.kind != UnitKind.GOVERNMENT:
            return None, _("“%(name)s”是部门单位，不是属地（县区、乡镇）单位。") % {"name": name}
        if not self._may_pick_region(unit):
            return None, _("“%(name)s”不在您的管辖范围内。") % {"name": name}
        return unit, None

    def dispatching_unit(
        self, name: str, *, current_id: int | None = None
    ) -> tuple[Unit | None, str | None]:
        """The unit a cadre row names, if it is one the user may give a cadre (as on the page
        and in the API: stationing.selectors.cadre_unit_list); `current_id` is the unit the
        cadre already has, which stays valid."""
        units = self.units_named(name)
        if not units:
            return None, _("系统中没有名为“%(name)s”的单位，请填写派出单位全称。") % {"name": name}
        if len(units) > 1:
            return None, _("有多个单位简称为“%(name)s”，请填写单位全称。") % {"name": name}
        unit = units[0]
        if not unit.is_dispatching and unit.pk != current_id:
            return None, _("“%(name)s”不是派出单位。") % {"name": name}
        if not self._may_pick_cadre_unit(unit, current_id):
            return None, _("“%(name)s”不在您的管辖范围内。") % {"name": name}
        return unit, None

    # --- programmes -------------------------------------------------------------------------

    def programme(self, name: str) -> tuple[Programme | None, str | None]:
        if name not in self._programmes:
            qs = Programme.objects.all() if self.unrestricted else programme_list(user=self.user)
            self._programmes[name] = list(qs.filter(name=name))
        found = self._programmes[name]
        if not found:
            return None, _("没有名为“%(name)s”的驻企批次（或您无权管理该批次）。") % {"name": name}
        if len(found) > 1:
            return None, _("有多个名为“%(name)s”的驻企批次，请先在系统中区分它们的名称。") % {
                "name": name
            }
        return found[0], None

    def work_group(self, programme: Programme, name: str) -> WorkGroup | None:
        key = (programme.pk, name)
        if key not in self._work_groups:
            self._work_groups[key] = WorkGroup.objects.filter(
                programme=programme, name=name
            ).first()
        return self._work_groups[key]

    def first_with_key(self, kind: str, key: Any, row: ParsedRow) -> ParsedRow | None:
        """The earlier row of the file with the same key, or None (and remember this one)."""
        first = self.seen[kind].get(key)
        if first is None:
            self.seen[kind][key] = row
        return first

    # --- enterprises ------------------------------------------------------------------------

    def load_enterprises(self, codes: set[str]) -> None:
        """Fetch the enterprises with these codes (and which of them the user may touch)."""
        missing = {code for code in codes if code not in self._db_enterprises}
        if not missing:
            return
        found = {
            e.credit_code: e
            for e in Enterprise.objects.select_related("region").filter(credit_code__in=missing)
        }
        for code in missing:
            self._db_enterprises[code] = found.get(code)
        if not self.unrestricted:
            visible = enterprise_ids(user=self.user).filter(credit_code__in=missing)
            self._visible_enterprises = (self._visible_enterprises or set()) | {
                row["pk"] for row in visible
            }

    def enterprise_pks(self, codes: set[str]) -> list[int]:
        self.load_enterprises(codes)
        return [e.pk for code in codes if (e := self._db_enterprises.get(code)) is not None]

    def enterprise_in_db(self, code: str) -> Enterprise | None:
        self.load_enterprises({code})
        return self._db_enterprises[code]

    def may_touch_enterprise(self, enterprise: Enterprise) -> bool:
        if self.unrestricted:
            return True
        return enterprise.pk in (self._visible_enterprises or set())

    def register_enterprise(self, code: str, row: ParsedRow) -> None:
        self.file_enterprises[code] = row
        if row.has("name"):
            self.file_enterprise_names[row.get("name")].append(code)

    def resolve_enterprise(
        self, row: ParsedRow, *, code_key: str, name_key: str | None = None
    ) -> str | None:
        """The credit code of the enterprise `row` refers to, by code or by a unique name.

        The enterprise may be in the database or defined by the file's enterprise sheet; in the
        second case the row depends on that one and is not written if it failed.
        """
        code = row.get(code_key)
        if code:
            return self._enterprise_by_code(row, code, code_key)
        if row.cell_error(code_key):
            return None
        name = row.get(name_key) if name_key else None
        if not name:
            if not (name_key and row.cell_error(name_key)):
                row.error(code_key, _("请填写企业统一社会信用代码或企业名称。"))
            return None
        in_file = self.file_enterprise_names.get(name, [])
        db_qs = Enterprise.objects.filter(name=name).exclude(credit_code__in=in_file)
        if not self.unrestricted:
            db_qs = db_qs.filter(pk__in=enterprise_ids(user=self.user))
        candidates = list(in_file) + list(db_qs.values_list("credit_code", flat=True)[:5])
        if not candidates:
            row.error(name_key, _("没有名为“%(name)s”的企业。") % {"name": name})
            return None
        if len(candidates) > 1:
            row.error(
                name_key,
                _("有%(count)s家名为“%(name)s”的企业，请填写统一社会信用代码。")
                % {"count": len(candidates), "name": name},
            )
            return None
        return self._enterprise_by_code(row, candidates[0], name_key)

    def _enterprise_by_code(self, row: ParsedRow, code: str, key: str) -> str | None:
        if code in self.file_enterprises:
            row.depends_on.append(self.file_enterprises[code])
            return code
        enterprise = self.enterprise_in_db(code)
        if enterprise is None:
            row.error(
                key,
                _("没有统一社会信用代码为 %(code)s 的企业（新企业可在“企业”工作表中一并导入）。")
                % {"code": code},
            )
            return None
        if not self.may_touch_enterprise(enterprise):
            row.error(
                key, _("统一社会信用代码为 %(code)s 的企业不在您的管理范围内。") % {"code": code}
            )
            return None
        self.enterprises[code] = enterprise
        return code

    # --- people -----------------------------------------------------------------------------

    def load_profiles(self, phones: set[str]) -> None:
        missing = {phone for phone in phones if phone not in self._profiles}
        if not missing:
            return
        found = {
            p.phone: p
            for p in Profile.objects.select_related("user", "unit")
            .prefetch_related("user__groups")
            .filter(phone__in=missing)
        }
        for phone in missing:
            self._profiles[phone] = found.get(phone)
        if not self.unrestricted:
            visible = (
                cadre_list(user=self.user).filter(phone__in=missing).values_list("pk", flat=True)
            )
            self._visible_cadres = (self._visible_cadres or set()) | set(visible)

    def profile_in_db(self, phone: str) -> Profile | None:
        self.load_profiles({phone})
        return self._profiles[phone]

    def may_touch_cadre(self, profile: Profile) -> bool:
        if self.unrestricted:
            return True
        return profile.pk in (self._visible_cadres or set())

    @staticmethod
    def is_cadre(profile: Profile) -> bool:
        return any(group.name == Role.CADRE for group in profile.user.groups.all())

    def resolve_cadre(self, row: ParsedRow, key: str) -> str | None:
        """The phone of the cadre `row` refers to, in the database or in the file's cadre sheet."""
        phone = row.get(key)
        if not phone:
            return None
        if phone in self.file_cadres:
            row.depends_on.append(self.file_cadres[phone])
            return phone
        profile = self.profile_in_db(phone)
        if profile is None or not self.is_cadre(profile):
            row.error(
                key,
                _("没有手机号为 %(phone)s 的驻企干部（新干部可在“干部”工作表中一并导入）。")
                % {"phone": phone},
            )
            return None
        if not self.may_touch_cadre(profile):
            row.error(key, _("手机号为 %(phone)s 的干部不在您的管理范围内。") % {"phone": phone})
            return None
        self.cadres[phone] = profile
        return phone

    @staticmethod
    def username_taken(username: str) -> bool:
        return User.objects.filter(username=username).exists()
