"""python -m accounts COMMAND ...: manage LEAD Ops dashboard accounts.

  add USERNAME --role ROLE [--sso-only]   new account; password from stdin or prompted twice
  reset USERNAME                          new password (and unlock)
  role USERNAME --role ROLE               give the account another role
  disable USERNAME / enable USERNAME      refuse or allow every sign-in of the account
  unlock USERNAME                         end a lock after failed sign-ins now
  list                                    every account, its role and state
  demo-accounts [--if-demo]               one account per role while demo data is loaded
  remove-demo                             delete the demo accounts
  first-run-hint                          say how to create the first admin, if none exists

Roles: command, leadership, case_manager, admin. Every change is written to the audit log
with the operating-system user who ran the command. The last enabled admin cannot be
disabled or given another role. Exit status: 0 done, 1 refused (the
message says why), 2 the database cannot be reached or the command line is wrong.
"""

import argparse
import getpass
import os
import sys

import psycopg2

import accounts
import queries
from accounts.demo import (
    DEMO_PASSWORD,
    create_demo_accounts,
    demo_data_loaded,
    remove_demo_accounts,
)
from db.config import NoDatabaseConfigured
from db.connect import DatabaseUnavailable, connect, first_line
from db.migrate import MigrationError, apply_pending

REFUSED = 1
UNAVAILABLE = 2
LIST_COLUMNS = ("user name", "role", "state", "sign-in", "last sign-in")


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        conn = connect()
    except (DatabaseUnavailable, NoDatabaseConfigured) as error:
        return _fail(f"cannot reach the database: {error}", UNAVAILABLE)
    try:
        with conn:
            apply_pending(conn)
            return args.run(conn, args)
    except accounts.AccountError as error:
        return _fail(str(error), REFUSED)
    except (KeyboardInterrupt, EOFError):
        return _fail("cancelled; nothing changed", REFUSED)
    except MigrationError as error:
        return _fail(str(error), UNAVAILABLE)
    except psycopg2.Error as error:
        return _fail(f"database error: {first_line(error)}", UNAVAILABLE)
    finally:
        conn.close()


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m accounts",
        description="Manage LEAD Ops dashboard accounts.",
        epilog="Passwords are read from standard input when it is not a terminal.",
    )
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    add = commands.add_parser("add", help="create an account")
    add.add_argument("username")
    add.add_argument("--role", required=True, choices=accounts.ROLES)
    add.add_argument(
        "--sso-only", action="store_true", help="no local password: single sign-on only"
    )
    add.set_defaults(run=_add)

    role = commands.add_parser("role", help="give an account another role")
    role.add_argument("username")
    role.add_argument("--role", required=True, choices=accounts.ROLES)
    role.set_defaults(run=_role)

    for name, run, help_text in (
        ("reset", _reset, "set a new password (and unlock)"),
        ("disable", _disable, "refuse every sign-in of an account"),
        ("enable", _enable, "allow sign-ins of a disabled account again"),
        ("unlock", _unlock, "end a lock after failed sign-ins now"),
    ):
        command = commands.add_parser(name, help=help_text)
        command.add_argument("username")
        command.set_defaults(run=run)

    commands.add_parser("list", help="every account and its state").set_defaults(run=_list)
    demo = commands.add_parser("demo-accounts", help="demo accounts while demo data is loaded")
    demo.add_argument(
        "--if-demo", action="store_true", help="without demo data, do nothing and say nothing"
    )
    demo.set_defaults(run=_demo_accounts)
    commands.add_parser("remove-demo", help="delete the demo accounts").set_defaults(
        run=_remove_demo
    )
    commands.add_parser(
        "first-run-hint", help="how to create the first admin, if none exists"
    ).set_defaults(run=_first_run_hint)
    return parser


def _actor() -> str:
    """Who ran the command, for the audit log."""
    try:
        name = getpass.getuser()
    except (KeyError, OSError):
        name = os.environ.get("USER", "unknown")
    return f"cli:{name}"


def read_password(stream=None) -> str:
    """A new password: prompted twice on a terminal, else the first line of the input."""
    stream = sys.stdin if stream is None else stream
    if stream.isatty():
        first = getpass.getpass("New password: ")
        if getpass.getpass("Repeat it: ") != first:
            raise accounts.AccountError("the two passwords differ; nothing changed")
        return first
    return stream.readline().rstrip("\r\n")


def _add(conn, args) -> int:
    username = accounts.normalize(args.username)
    password = None if args.sso_only else read_password()
    accounts.add(conn, username, args.role, password, actor=_actor())
    how = "single sign-on only" if args.sso_only else "password set"
    print(f"accounts: added {username} ({args.role}, {how})")
    return 0


def _reset(conn, args) -> int:
    username = accounts.normalize(args.username)
    accounts.reset_password(conn, username, read_password(), actor=_actor())
    print(f"accounts: new password set for {username}; the account is unlocked")
    return 0


def _role(conn, args) -> int:
    username = accounts.normalize(args.username)
    accounts.change_role(conn, username, args.role, actor=_actor())
    print(f"accounts: {username} is now {args.role}")
    return 0


def _disable(conn, args) -> int:
    return _set_disabled(args.username, True, conn)


def _enable(conn, args) -> int:
    return _set_disabled(args.username, False, conn)


def _set_disabled(username: str, disabled: bool, conn) -> int:
    username = accounts.normalize(username)
    accounts.set_disabled(conn, username, disabled, actor=_actor())
    print(f"accounts: {username} {'disabled' if disabled else 'enabled'}")
    return 0


def _unlock(conn, args) -> int:
    username = accounts.normalize(args.username)
    accounts.unlock(conn, username, actor=_actor())
    print(f"accounts: {username} unlocked")
    return 0


def _list(conn, _args) -> int:
    rows = [_list_row(row) for row in accounts.list_accounts(conn)]
    if not rows:
        print("accounts: no accounts yet")
        return 0
    widths = [max(len(r[i]) for r in [LIST_COLUMNS, *rows]) for i in range(len(LIST_COLUMNS))]
    for row in [LIST_COLUMNS, *rows]:
        cells = (cell.ljust(width) for cell, width in zip(row, widths, strict=True))
        print("  ".join(cells).rstrip())
    return 0


def _list_row(row: tuple) -> tuple[str, ...]:
    username, role, disabled, sso_only, is_demo, failures, locked_until, locked, last, *_ = row
    if disabled:
        state = "disabled"
    elif locked:
        state = f"locked until {locked_until:%Y-%m-%d %H:%M}"
    else:
        state = f"enabled, {failures} failed" if failures else "enabled"
    method = "single sign-on" if sso_only else "password"
    if is_demo:
        method += " (demo)"
    return (username, role, state, method, f"{last:%Y-%m-%d %H:%M}" if last else "never")


def _demo_accounts(conn, args) -> int:
    if not demo_data_loaded(conn):
        if args.if_demo:
            return 0
        raise accounts.AccountError(
            "no demo data is loaded (python -m demo loads it); demo accounts are only "
            "made for demo data"
        )
    names = create_demo_accounts(conn)
    accounts.audit(conn, _actor(), None, "account_add", ", ".join(names), "ok", demo=True)
    print(
        f"accounts: demo accounts {', '.join(names)} (password {DEMO_PASSWORD}); "
        "they sign in to generated data only"
    )
    return 0


def _remove_demo(conn, _args) -> int:
    names = remove_demo_accounts(conn)
    if not names:
        print("accounts: no demo accounts")
        return 0
    accounts.audit(conn, _actor(), None, "account_remove", ", ".join(names), "ok", demo=True)
    print(f"accounts: removed demo accounts {', '.join(names)}")
    return 0


def _first_run_hint(conn, _args) -> int:
    if queries.fetch_value(conn, "accounts/admins"):
        return 0
    print(
        "accounts: no administrator account yet. Create the first one with\n"
        "    .venv/bin/python -m accounts add <username> --role admin\n"
        f"  (it asks for the password twice; at least {accounts.MIN_PASSWORD_LENGTH} "
        "characters), then add the other users the same way."
    )
    return 0


def _fail(message: str, status: int) -> int:
    print(f"accounts: {message}", file=sys.stderr)
    return status


if __name__ == "__main__":
    sys.exit(main())
