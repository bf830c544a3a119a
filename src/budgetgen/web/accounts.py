"""The bureau's accounts, the departments' workflow states and the audit log: one SQLite file
beside the department files (`.budgetgen-accounts.sqlite3` in the served folder, never listed).

stdlib `sqlite3`, not an ORM: six small tables, plain SQL, and the schema versioned by SQLite's own
`PRAGMA user_version` with an ordered list of migrations — SQLAlchemy/Alembic would add two
dependencies for what fifty lines do. Passwords are hashed with argon2 (argon2-cffi). Every access
opens its own connection with a busy timeout, so two servers (or threads) on one file wait for each
other instead of failing; department files stay plain files the command line reads as before.
"""

from __future__ import annotations

import secrets
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

DATABASE = ".budgetgen-accounts.sqlite3"
ROLES = ("管理员", "审核人", "填报人")
STATES = ("草稿", "已提交", "已退回", "已审核", "已发布")
SESSION_SECONDS = 8 * 3600
MAX_FAILURES = 5  # wrong passwords in a row before the account waits
LOCKOUT_SECONDS = 15 * 60

MIGRATIONS = (
    """
    CREATE TABLE users (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        role TEXT NOT NULL,
        password TEXT NOT NULL,
        failures INTEGER NOT NULL DEFAULT 0,
        locked_until REAL NOT NULL DEFAULT 0
    );
    CREATE TABLE assignments (user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                              department TEXT NOT NULL, PRIMARY KEY (user_id, department));
    CREATE TABLE sessions (token TEXT PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                           expires REAL NOT NULL);
    CREATE TABLE states (department TEXT PRIMARY KEY, state TEXT NOT NULL, by TEXT NOT NULL, at REAL NOT NULL);
    CREATE TABLE comments (id INTEGER PRIMARY KEY, department TEXT NOT NULL, author TEXT NOT NULL,
                           at REAL NOT NULL, text TEXT NOT NULL);
    CREATE TABLE audit (id INTEGER PRIMARY KEY, at REAL NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL,
                        department TEXT NOT NULL DEFAULT '', detail TEXT NOT NULL DEFAULT '',
                        address TEXT NOT NULL DEFAULT '');
    """,
    # 2: the version saved when a department was approved, to show what changed since
    "ALTER TABLE states ADD COLUMN approved_version TEXT NOT NULL DEFAULT ''",
    # 3: the list's "last changed by" reads the audit per department
    "CREATE INDEX audit_by_department ON audit (department, action, at)",
)

# Which role may do what. A 填报人 acts only on the departments assigned to them.
PERMISSIONS = {
    "管理员": {"read", "edit", "build", "create", "submit", "review", "publish", "batch", "admin"},
    "审核人": {"read", "build", "review", "publish", "batch"},
    "填报人": {"read", "edit", "build", "submit"},
}
# How the audit log names each permission asked for.
PERMISSION_LABELS = {
    "read": "查看",
    "edit": "编辑",
    "build": "生成",
    "create": "新建或删除部门",
    "submit": "提交",
    "review": "审核",
    "publish": "发布",
    "batch": "批量操作",
    "admin": "管理",
}
# State changes: (from, to) → the permission it needs.
TRANSITIONS = {
    ("草稿", "已提交"): "submit",
    ("已退回", "已提交"): "submit",
    ("已提交", "已退回"): "review",
    ("已提交", "已审核"): "review",
    ("已审核", "已退回"): "review",
    ("已审核", "已发布"): "publish",
}


class AccountsUnavailable(Exception):
    """The database cannot be used: locked, damaged or written by a newer budgetgen."""


@dataclass(frozen=True)
class Actor:
    name: str
    role: str
    departments: frozenset[str] = frozenset()

    def may(self, action: str, department: str | None = None) -> bool:
        if action not in PERMISSIONS.get(self.role, set()):
            return False
        if self.role == "填报人" and department is not None:
            return department in self.departments
        return True


LOCAL = Actor("本机用户", "管理员")  # no accounts configured: the one user at 127.0.0.1 may do everything


def _hasher():
    from argon2 import PasswordHasher

    return PasswordHasher()


@dataclass(frozen=True)
class Accounts:
    path: Path

    @classmethod
    def beside(cls, folder: Path) -> Accounts:
        return cls(folder / DATABASE)

    @property
    def configured(self) -> bool:
        """Accounts are in use once the file exists and holds a user."""
        if not self.path.is_file():
            return False
        with self._db() as db:
            return db.execute("SELECT count(*) FROM users").fetchone()[0] > 0

    @contextmanager
    def _db(self) -> Iterator[sqlite3.Connection]:
        try:
            connection = sqlite3.connect(self.path, timeout=10, isolation_level=None)
        except sqlite3.Error as exc:
            raise AccountsUnavailable(f"无法打开账号数据库 {self.path.name}：{exc}") from None
        try:
            connection.execute("PRAGMA foreign_keys = ON")
            self._migrate(connection)
            yield connection
        except sqlite3.DatabaseError as exc:
            raise AccountsUnavailable(_reason(exc, self.path)) from None
        finally:
            connection.close()

    def _migrate(self, db: sqlite3.Connection) -> None:
        version = db.execute("PRAGMA user_version").fetchone()[0]
        if version > len(MIGRATIONS):
            raise AccountsUnavailable(
                f"账号数据库 {self.path.name} 由更新版本的 budgetgen 写入（版本 {version}），本程序不能使用它；"
                "请升级 budgetgen。部门文件不受影响，仍可用命令行生成。"
            )
        for number in range(version, len(MIGRATIONS)):
            db.execute("BEGIN IMMEDIATE")
            for statement in _statements(MIGRATIONS[number]):
                db.execute(statement)
            db.execute(f"PRAGMA user_version = {number + 1}")
            db.execute("COMMIT")

    # ------------------------------------------------------------ users

    def add_user(self, name: str, role: str, password: str) -> None:
        if role not in ROLES:
            raise ValueError(f"角色只能是：{'、'.join(ROLES)}")
        with self._db() as db:
            try:
                db.execute(
                    "INSERT INTO users (name, role, password) VALUES (?, ?, ?)", (name, role, _hasher().hash(password))
                )
            except sqlite3.IntegrityError:
                raise ValueError(f"已有用户「{name}」") from None

    def remove_user(self, name: str) -> bool:
        with self._db() as db:
            return db.execute("DELETE FROM users WHERE name = ?", (name,)).rowcount > 0

    def reset_password(self, name: str, password: str) -> bool:
        with self._db() as db:
            changed = db.execute(
                "UPDATE users SET password = ?, failures = 0, locked_until = 0 WHERE name = ?",
                (_hasher().hash(password), name),
            )
            db.execute("DELETE FROM sessions WHERE user_id = (SELECT id FROM users WHERE name = ?)", (name,))
            return changed.rowcount > 0

    def assign(self, name: str, departments: list[str]) -> bool:
        with self._db() as db:
            row = db.execute("SELECT id FROM users WHERE name = ?", (name,)).fetchone()
            if row is None:
                return False
            db.executemany(
                "INSERT OR IGNORE INTO assignments (user_id, department) VALUES (?, ?)",
                [(row[0], d) for d in departments],
            )
            return True

    def users(self) -> list[dict]:
        with self._db() as db:
            rows = db.execute("SELECT id, name, role FROM users ORDER BY name").fetchall()
            return [
                {
                    "name": name,
                    "role": role,
                    "departments": [
                        d for (d,) in db.execute("SELECT department FROM assignments WHERE user_id = ?", (uid,))
                    ],
                }
                for uid, name, role in rows
            ]

    def actor(self, name: str) -> Actor | None:
        with self._db() as db:
            row = db.execute("SELECT id, role FROM users WHERE name = ?", (name,)).fetchone()
            if row is None:
                return None
            departments = frozenset(
                d for (d,) in db.execute("SELECT department FROM assignments WHERE user_id = ?", (row[0],))
            )
            return Actor(name, row[1], departments)

    # ------------------------------------------------------------ login and sessions

    def login(self, name: str, password: str) -> str | None:
        """A new session's token, or None — the same None for an unknown user, a wrong password or
        a locked account (no user enumeration); a wrong password counts towards the lockout."""
        from argon2.exceptions import VerificationError

        now = time.time()
        with self._db() as db:
            row = db.execute(
                "SELECT id, password, failures, locked_until FROM users WHERE name = ?", (name,)
            ).fetchone()
            if row is None:
                _hasher().hash(password)  # the same work as a real check: timing says nothing
                return None
            uid, stored, failures, locked_until = row
            if locked_until > now:
                return None
            try:
                _hasher().verify(stored, password)
            except VerificationError:
                failures += 1
                locked = now + LOCKOUT_SECONDS if failures >= MAX_FAILURES else 0
                db.execute(
                    "UPDATE users SET failures = ?, locked_until = ? WHERE id = ?",
                    (0 if locked else failures, locked, uid),
                )
                return None
            token = secrets.token_urlsafe(32)
            db.execute("UPDATE users SET failures = 0 WHERE id = ?", (uid,))
            db.execute("DELETE FROM sessions WHERE expires < ?", (now,))
            db.execute(
                "INSERT INTO sessions (token, user_id, expires) VALUES (?, ?, ?)", (token, uid, now + SESSION_SECONDS)
            )
            return token

    def session_actor(self, token: str) -> Actor | None:
        if not token:
            return None
        with self._db() as db:
            row = db.execute(
                "SELECT users.name FROM sessions JOIN users ON users.id = sessions.user_id"
                " WHERE token = ? AND expires > ?",
                (token, time.time()),
            ).fetchone()
        return self.actor(row[0]) if row else None

    def logout(self, token: str) -> None:
        with self._db() as db:
            db.execute("DELETE FROM sessions WHERE token = ?", (token,))

    def change_password(self, name: str, old: str, new: str) -> bool:
        from argon2.exceptions import VerificationError

        with self._db() as db:
            row = db.execute("SELECT password FROM users WHERE name = ?", (name,)).fetchone()
            if row is None:
                return False
            try:
                _hasher().verify(row[0], old)
            except VerificationError:
                return False
            db.execute("UPDATE users SET password = ? WHERE name = ?", (_hasher().hash(new), name))
            return True

    # ------------------------------------------------------------ workflow and audit

    def state(self, department: str) -> dict:
        with self._db() as db:
            row = db.execute(
                "SELECT state, by, at, approved_version FROM states WHERE department = ?", (department,)
            ).fetchone()
        if row is None:
            return {"state": "草稿", "by": "", "at": 0, "approved_version": ""}
        return {"state": row[0], "by": row[1], "at": row[2], "approved_version": row[3]}

    def approved_as(self, department: str, version: str) -> None:
        """The saved version holding the department as it was approved."""
        with self._db() as db:
            db.execute("UPDATE states SET approved_version = ? WHERE department = ?", (version, department))

    def check_transition(self, department: str, new: str, actor: Actor) -> None:
        """ValueError when the state cannot go to `new` from where it is; PermissionError when
        this actor may not make the change."""
        self._allowed(self.state(department)["state"], new, actor, department)

    @staticmethod
    def _allowed(old: str, new: str, actor: Actor, department: str) -> None:
        needed = TRANSITIONS.get((old, new))
        if needed is None:
            raise ValueError(f"当前状态是“{old}”，不能改为“{new}”")
        if not actor.may(needed, department):
            raise PermissionError(f"“{actor.role}”不能把部门改为“{new}”")

    def change_state(self, department: str, new: str, actor: Actor, comment: str = "") -> str:
        """The state after `actor` moves the department to `new`; ValueError when not allowed."""
        with self._db() as db:
            db.execute("BEGIN IMMEDIATE")
            try:
                row = db.execute("SELECT state FROM states WHERE department = ?", (department,)).fetchone()
                self._allowed(row[0] if row else "草稿", new, actor, department)
                self._set_state(db, department, new, actor.name)
                if comment:
                    db.execute(
                        "INSERT INTO comments (department, author, at, text) VALUES (?, ?, ?, ?)",
                        (department, actor.name, time.time(), comment),
                    )
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
        return new

    def edited(self, department: str, actor: Actor) -> None:
        """An edit of a submitted or approved department sends it back to 草稿."""
        with self._db() as db:
            row = db.execute("SELECT state FROM states WHERE department = ?", (department,)).fetchone()
            if row and row[0] in ("已提交", "已审核", "已发布"):
                self._set_state(db, department, "草稿", actor.name)

    @staticmethod
    def _set_state(db: sqlite3.Connection, department: str, state: str, by: str) -> None:
        db.execute(
            "INSERT INTO states (department, state, by, at) VALUES (?, ?, ?, ?)"
            " ON CONFLICT(department) DO UPDATE SET state = excluded.state, by = excluded.by, at = excluded.at",
            (department, state, by, time.time()),
        )

    def comments(self, department: str) -> list[dict]:
        with self._db() as db:
            rows = db.execute(
                "SELECT author, at, text FROM comments WHERE department = ? ORDER BY id", (department,)
            ).fetchall()
        return [{"author": a, "at": _when(t), "text": x} for a, t, x in rows]

    def record(self, actor: str, action: str, department: str = "", detail: str = "", address: str = "") -> None:
        with self._db() as db:
            db.execute(
                "INSERT INTO audit (at, actor, action, department, detail, address) VALUES (?, ?, ?, ?, ?, ?)",
                (time.time(), actor, action, department, detail[:500], address),
            )

    def in_state(self, state: str) -> list[str]:
        with self._db() as db:
            rows = db.execute("SELECT department FROM states WHERE state = ? ORDER BY department", (state,)).fetchall()
        return [r[0] for r in rows]

    def last_changes(self, action: str) -> dict[str, dict]:
        """Per department, who did `action` last and when."""
        with self._db() as db:
            rows = db.execute(
                "SELECT department, actor, max(at) FROM audit WHERE action = ? AND department != ''"
                " GROUP BY department",
                (action,),
            ).fetchall()
        return {d: {"by": a, "at": _when(t)} for d, a, t in rows}

    def audit(self, department: str | None = None, limit: int = 500) -> list[dict]:
        with self._db() as db:
            query = "SELECT at, actor, action, department, detail, address FROM audit"
            rows = (
                db.execute(query + " WHERE department = ? ORDER BY id DESC LIMIT ?", (department, limit))
                if department
                else db.execute(query + " ORDER BY id DESC LIMIT ?", (limit,))
            ).fetchall()
        return [
            {"at": _when(at), "actor": a, "action": x, "department": d, "detail": t, "address": ad}
            for at, a, x, d, t, ad in rows
        ]


def _statements(script: str) -> list[str]:
    return [s.strip() for s in script.split(";") if s.strip()]


def _when(stamp: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(stamp))


def _reason(exc: sqlite3.DatabaseError, path: Path) -> str:
    text = str(exc)
    if "locked" in text or "busy" in text:
        return f"账号数据库 {path.name} 正被另一个程序占用，请稍后重试。部门文件不受影响。"
    if "not a database" in text or "malformed" in text:
        return (
            f"账号数据库 {path.name} 已损坏：请从备份恢复它，或改名后重新建立账号（budgetgen users add）。"
            "部门文件不受影响，仍可用命令行检查和生成。"
        )
    return f"账号数据库 {path.name} 无法使用：{text}。部门文件不受影响。"
