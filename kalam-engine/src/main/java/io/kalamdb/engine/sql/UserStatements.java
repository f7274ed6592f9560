package io.kalamdb.engine.sql;

import io.kalamdb.engine.auth.Role;

/** Parses the statements about users: CREATE USER, ALTER USER and DROP USER (after their leading words). */
final class UserStatements {

    private UserStatements() {
    }

    static Stmt createUser(TokenCursor c) {
        String user = c.userName();
        String password = null;
        String authType = null;
        Role role = null;
        String email = null;
        while (!c.atEnd()) {
            if (c.acceptWord("WITH")) {
                if (c.acceptWord("PASSWORD")) {
                    password = c.stringLiteral("password");
                    authType = "password";
                } else if (c.acceptWord("OAUTH")) {
                    if (!c.atEnd() && c.peek().kind() == Token.Kind.STRING) {
                        c.next();
                    }
                    authType = "oauth";
                } else if (c.acceptWord("INTERNAL")) {
                    authType = "internal";
                } else {
                    throw c.error("expected PASSWORD, OAUTH or INTERNAL after WITH");
                }
            } else if (c.acceptWord("ROLE")) {
                role = Role.parse(c.next().unquoted());
            } else if (c.acceptWord("EMAIL")) {
                email = c.stringLiteral("email");
            } else {
                throw c.error("unexpected clause in CREATE USER");
            }
        }
        if (authType == null) {
            throw c.error("CREATE USER needs WITH PASSWORD '<password>', WITH OAUTH or WITH INTERNAL");
        }
        return new Stmt.CreateUser(user, password, authType, role == null ? Role.USER : role, email);
    }

    static Stmt alterUser(TokenCursor c) {
        String user = c.userName();
        Boolean lock = c.acceptWord("LOCK") ? Boolean.TRUE : c.acceptWord("UNLOCK") ? Boolean.FALSE : null;
        if (lock != null) {
            c.expectEnd();
            return new Stmt.AlterUser(user, null, null, null, lock);
        }
        c.expectWord("SET");
        String password = null;
        Role role = null;
        String email = null;
        if (c.acceptWord("PASSWORD")) {
            password = c.stringLiteral("password");
        } else if (c.acceptWord("ROLE")) {
            role = Role.parse(c.next().unquoted());
        } else if (c.acceptWord("EMAIL")) {
            email = c.stringLiteral("email");
        } else {
            throw c.error("expected SET PASSWORD, SET ROLE, SET EMAIL, LOCK or UNLOCK");
        }
        c.expectEnd();
        return new Stmt.AlterUser(user, password, role, email, null);
    }

    static Stmt dropUser(TokenCursor c) {
        boolean ifExists = c.acceptWords("IF", "EXISTS");
        String user = c.userName();
        c.acceptWord("CASCADE");
        c.expectEnd();
        return new Stmt.DropUser(user, ifExists);
    }
}
