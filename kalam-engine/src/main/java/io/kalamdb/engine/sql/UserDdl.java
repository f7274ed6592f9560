package io.kalamdb.engine.sql;

import static java.util.Objects.requireNonNull;

import io.kalamdb.engine.StatementResult;
import io.kalamdb.engine.auth.PasswordHasher;
import io.kalamdb.engine.auth.UserRecord;
import io.kalamdb.engine.catalog.Catalog;
import io.kalamdb.engine.error.KalamErrorCode;
import io.kalamdb.engine.error.KalamException;
import io.kalamdb.engine.write.Command;
import io.kalamdb.engine.write.WriteLog;

/** Runs the user statements: CREATE, ALTER and DROP USER. */
final class UserDdl {
    private final Catalog catalog;
    private final WriteLog log;
    private final PasswordHasher hasher;

    UserDdl(Catalog catalog, WriteLog log, PasswordHasher hasher) {
        this.catalog = requireNonNull(catalog, "catalog is null");
        this.log = requireNonNull(log, "log is null");
        this.hasher = requireNonNull(hasher, "hasher is null");
    }

    private void append(Command command) {
        log.commit(command);
    }

    private static long nowMicros() {
        return DdlExecutor.nowMicros();
    }

    StatementResult createUser(Stmt.CreateUser cu, String me) {
        UserRecord existing = catalog.user(cu.userId());
        if (existing != null && !existing.isDeleted()) {
            throw new KalamException(KalamErrorCode.USER_EXISTS, "User '" + cu.userId() + "' already exists");
        }
        String hash = "";
        if (cu.password() != null) {
            try {
                hasher.checkPolicy(cu.password(), "");
            } catch (KalamException e) {
                throw new KalamException(KalamErrorCode.WEAK_PASSWORD, "Weak password: " + e.getMessage());
            }
            hash = hasher.hash(cu.password());
        }
        long now = nowMicros();
        append(new Command.PutUser(new UserRecord(cu.userId(), hash, cu.role(), cu.email(), cu.authType(), 0, null,
                null, now, now, null), true));
        return StatementResult.message("User '" + cu.userId() + "' created", 0, me);
    }

    StatementResult alterUser(Stmt.AlterUser au, String me) {
        UserRecord u = catalog.user(au.userId());
        if (u == null || u.isDeleted()) {
            throw new KalamException(KalamErrorCode.USER_NOT_FOUND, "User '" + au.userId() + "' not found");
        }
        long now = nowMicros();
        if (au.password() != null) {
            hasher.checkPolicy(au.password(), "");
            append(new Command.SetUserPassword(u.id(), hasher.hash(au.password()), now));
        } else if (au.role() != null) {
            append(new Command.SetUserRole(u.id(), au.role(), now));
        } else if (au.email() != null) {
            append(new Command.SetUserEmail(u.id(), au.email(), now));
        } else if (au.lock() != null) {
            if (au.lock() && u.id().equals("root")) {
                throw new KalamException(KalamErrorCode.OPERATION_NOT_ALLOWED, "the root user cannot be locked");
            }
            // an admin lock holds until UNLOCK
            append(new Command.SetUserLock(u.id(), au.lock() ? UserRecord.ADMIN_LOCK_UNTIL_MICROS : null, now));
        }
        return StatementResult.message("User '" + u.id() + "' updated", 0, me);
    }

    StatementResult dropUser(Stmt.DropUser du, String me) {
        UserRecord u = catalog.user(du.userId());
        if (u == null || u.isDeleted()) {
            if (du.ifExists()) {
                return StatementResult.message("User '" + du.userId() + "' does not exist (skipped)", 0, me);
            }
            throw new KalamException(KalamErrorCode.USER_NOT_FOUND, "User '" + du.userId() + "' not found");
        }
        if (u.id().equals("root")) {
            throw new KalamException(KalamErrorCode.OPERATION_NOT_ALLOWED, "the root user cannot be dropped");
        }
        append(new Command.DropUser(u.id(), nowMicros()));
        return StatementResult.message("User '" + u.id() + "' dropped (soft delete)", 0, me);
    }
}
