package io.kalamdb.engine.sql;

import io.kalamdb.engine.catalog.DefaultValue;
import io.kalamdb.engine.error.KalamErrorCode;
import io.kalamdb.engine.error.KalamException;
import io.kalamdb.engine.util.Ids;

import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;

import org.apache.calcite.sql.SqlBasicCall;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlCharStringLiteral;
import org.apache.calcite.sql.SqlDynamicParam;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNumericLiteral;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.util.BitString;
import org.apache.calcite.util.NlsString;

/**
 * Evaluates the simple expressions of INSERT VALUES and UPDATE SET without a query plan: literals,
 * parameters, signs, CAST and KalamDB's built-in functions. Anything else is left to Calcite.
 */
final class ExpressionEvaluator {
    /** A value and whether it came from a parameter or a query (lenient coercion) or an SQL literal (strict). */
    record Value(Object value, boolean lenient) {
    }

    /** Marker for "not a simple expression". */
    static final Value COMPLEX = new Value(null, false);

    private ExpressionEvaluator() {
    }

    static Value eval(SqlNode node, List<Object> params, String currentUser) {
        if (node instanceof SqlDynamicParam p) {
            return new Value(params.get(p.getIndex()), true);
        }
        if (node instanceof SqlNumericLiteral n) {
            return new Value(n.getValueAs(BigDecimal.class), false);
        }
        if (node instanceof SqlCharStringLiteral s) {
            return new Value(((NlsString) s.getValue()).getValue(), false);
        }
        if (node instanceof SqlLiteral lit) {
            SqlTypeName t = lit.getTypeName();
            if (t == SqlTypeName.NULL) {
                return new Value(null, false);
            }
            if (t == SqlTypeName.BOOLEAN) {
                return new Value(lit.booleanValue(), false);
            }
            if (t == SqlTypeName.BINARY) {
                return new Value(((BitString) lit.getValue()).getAsByteArray(), false);
            }
            if (lit instanceof org.apache.calcite.sql.SqlAbstractDateTimeLiteral dt) {
                return new Value(dt.toFormattedString(), false);
            }
            return COMPLEX;
        }
        if (node instanceof SqlCall call) {
            SqlKind kind = call.getKind();
            if (kind == SqlKind.MINUS_PREFIX || kind == SqlKind.PLUS_PREFIX) {
                Value inner = eval(call.operand(0), params, currentUser);
                if (inner == COMPLEX || inner.value() == null) {
                    return inner;
                }
                if (kind == SqlKind.PLUS_PREFIX) {
                    return inner;
                }
                Object v = inner.value();
                if (v instanceof BigDecimal d) {
                    return new Value(d.negate(), inner.lenient());
                }
                if (v instanceof Long l) {
                    return new Value(-l, inner.lenient());
                }
                if (v instanceof Integer i) {
                    return new Value(-i, inner.lenient());
                }
                if (v instanceof Double d) {
                    return new Value(-d, inner.lenient());
                }
                return COMPLEX;
            }
            if (kind == SqlKind.CAST) {
                Value inner = eval(call.operand(0), params, currentUser);
                return inner == COMPLEX ? COMPLEX : new Value(inner.value(), true);
            }
            if (call instanceof SqlBasicCall && call.operandCount() == 0) {
                String name = call.getOperator().getName().toUpperCase(Locale.ROOT);
                Object v = function(name, currentUser);
                if (v != NOT_A_FUNCTION) {
                    return new Value(v, true);
                }
            }
        }
        return COMPLEX;
    }

    private static final Object NOT_A_FUNCTION = new Object();

    private static Object function(String name, String currentUser) {
        return switch (name) {
            case "NOW", "CURRENT_TIMESTAMP", "LOCALTIMESTAMP" -> Ids.statementMillis() * 1000L;
            case "SNOWFLAKE_ID" -> Ids.current().snowflake();
            case "UUID_V7" -> Ids.current().uuidV7();
            case "ULID" -> Ids.current().ulid();
            case "KALAM_CURRENT_USER", "CURRENT_USER" -> currentUser;
            default -> NOT_A_FUNCTION;
        };
    }

    /** The value of a column default for a new row. */
    static Value defaultValue(DefaultValue d, String currentUser) {
        if (d.isFunction()) {
            Object v = function(d.function(), currentUser);
            if (v == NOT_A_FUNCTION) {
                throw new KalamException(KalamErrorCode.INVALID_DEFINITION,
                        "unknown default function " + d.function() + "()");
            }
            return new Value(v, true);
        }
        String text = d.literal();
        String upper = text.toUpperCase(Locale.ROOT);
        if (upper.equals("NULL")) {
            return new Value(null, true);
        }
        if (upper.equals("TRUE") || upper.equals("FALSE")) {
            return new Value(Boolean.parseBoolean(upper.toLowerCase(Locale.ROOT)), true);
        }
        if (text.startsWith("'")) {
            return new Value(text.substring(1, text.length() - 1).replace("''", "'"), true);
        }
        return new Value(new BigDecimal(text), true);
    }
}
