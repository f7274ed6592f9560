package io.kalamdb.engine.live;

import io.kalamdb.engine.catalog.KalamType;
import io.kalamdb.engine.catalog.TableDef;
import io.kalamdb.engine.error.KalamException;
import io.kalamdb.engine.hot.StoredRow;
import io.kalamdb.engine.sql.ValueCoercion;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import org.apache.calcite.sql.SqlBasicCall;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlCharStringLiteral;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlNumericLiteral;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.util.NlsString;

/**
 * A subscription's WHERE clause compiled to a predicate over stored rows: comparisons, AND / OR / NOT,
 * LIKE, IN, IS [NOT] NULL, with {@code CURRENT_USER()} bound to the subscriber. SQL three-valued logic:
 * a comparison with NULL is unknown, and only true passes.
 */
public interface RowFilter {
    RowFilter ALL = row -> true;

    boolean test(StoredRow row);

    /** Compiles {@code where} against {@code table}; an unsupported expression is an INVALID_SQL error. */
    static RowFilter compile(SqlNode where, TableDef table, String currentUser) {
        if (where == null) {
            return ALL;
        }
        Compiler c = new Compiler(table, currentUser);
        Expr e = c.expr(where);
        return row -> Boolean.TRUE.equals(e.eval(row));
    }

    /** A compiled expression: returns a value, or for predicates TRUE / FALSE / null (unknown). */
    interface Expr {
        Object eval(StoredRow row);
    }

    /** The recursive compiler. */
    final class Compiler {
        private final TableDef table;
        private final String currentUser;

        Compiler(TableDef table, String currentUser) {
            this.table = table;
            this.currentUser = currentUser;
        }

        Expr expr(SqlNode n) {
            if (n instanceof SqlIdentifier id) {
                return column(id);
            }
            if (n instanceof SqlNumericLiteral num) {
                BigDecimal v = num.getValueAs(BigDecimal.class);
                return row -> v;
            }
            if (n instanceof SqlCharStringLiteral s) {
                String v = ((NlsString) s.getValue()).getValue();
                return row -> v;
            }
            if (n instanceof SqlLiteral lit) {
                if (lit.getTypeName() == SqlTypeName.NULL) {
                    return row -> null;
                }
                if (lit.getTypeName() == SqlTypeName.BOOLEAN) {
                    Boolean v = lit.booleanValue();
                    return row -> v;
                }
                throw unsupported(n);
            }
            if (!(n instanceof SqlCall call)) {
                throw unsupported(n);
            }
            SqlKind k = call.getKind();
            switch (k) {
                case AND, OR -> {
                    List<Expr> parts = new ArrayList<>();
                    for (SqlNode o : call.getOperandList()) {
                        parts.add(expr(o));
                    }
                    boolean and = k == SqlKind.AND;
                    return row -> {
                        boolean unknown = false;
                        for (Expr p : parts) {
                            Object v = p.eval(row);
                            if (v == null) {
                                unknown = true;
                            } else if (and != (Boolean) v) {
                                return !and;
                            }
                        }
                        return unknown ? null : and;
                    };
                }
                case NOT -> {
                    Expr inner = expr(call.operand(0));
                    return row -> {
                        Object v = inner.eval(row);
                        return v == null ? null : !(Boolean) v;
                    };
                }
                case IS_NULL, IS_NOT_NULL -> {
                    Expr inner = expr(call.operand(0));
                    boolean wantNull = k == SqlKind.IS_NULL;
                    return row -> (inner.eval(row) == null) == wantNull;
                }
                case IS_TRUE, IS_FALSE -> {
                    Expr inner = expr(call.operand(0));
                    Boolean want = k == SqlKind.IS_TRUE;
                    return row -> want.equals(inner.eval(row));
                }
                case EQUALS, NOT_EQUALS, LESS_THAN, LESS_THAN_OR_EQUAL, GREATER_THAN, GREATER_THAN_OR_EQUAL -> {
                    Expr l = expr(call.operand(0));
                    Expr r = expr(call.operand(1));
                    return row -> {
                        Object a = l.eval(row);
                        Object b = r.eval(row);
                        if (a == null || b == null) {
                            return null;
                        }
                        int cmp = compare(a, b);
                        return switch (k) {
                            case EQUALS -> cmp == 0;
                            case NOT_EQUALS -> cmp != 0;
                            case LESS_THAN -> cmp < 0;
                            case LESS_THAN_OR_EQUAL -> cmp <= 0;
                            case GREATER_THAN -> cmp > 0;
                            default -> cmp >= 0;
                        };
                    };
                }
                case LIKE -> {
                    Expr l = expr(call.operand(0));
                    if (!(call.operand(1) instanceof SqlCharStringLiteral p)) {
                        throw unsupported(n);
                    }
                    Pattern pattern = likePattern(((NlsString) p.getValue()).getValue());
                    boolean negated = call.getOperator().getName().toUpperCase(Locale.ROOT).startsWith("NOT");
                    return row -> {
                        Object v = l.eval(row);
                        return v == null ? null : pattern.matcher(v.toString()).matches() != negated;
                    };
                }
                case IN, NOT_IN -> {
                    Expr l = expr(call.operand(0));
                    if (!(call.operand(1) instanceof SqlNodeList list)) {
                        throw unsupported(n);
                    }
                    List<Expr> items = new ArrayList<>();
                    for (SqlNode item : list) {
                        items.add(expr(item));
                    }
                    boolean negated = k == SqlKind.NOT_IN;
                    return row -> {
                        Object v = l.eval(row);
                        if (v == null) {
                            return null;
                        }
                        boolean unknown = false;
                        for (Expr item : items) {
                            Object w = item.eval(row);
                            if (w == null) {
                                unknown = true;
                            } else if (compare(v, w) == 0) {
                                return !negated;
                            }
                        }
                        return unknown ? null : negated;
                    };
                }
                case MINUS_PREFIX -> {
                    Expr inner = expr(call.operand(0));
                    return row -> {
                        Object v = inner.eval(row);
                        return v == null ? null : toDecimal(v).negate();
                    };
                }
                default -> {
                    if (call instanceof SqlBasicCall && call.operandCount() == 0) {
                        String name = call.getOperator().getName().toUpperCase(Locale.ROOT);
                        if (name.equals("KALAM_CURRENT_USER") || name.equals("CURRENT_USER")) {
                            String user = currentUser;
                            return row -> user;
                        }
                    }
                    throw unsupported(n);
                }
            }
        }

        private Expr column(SqlIdentifier id) {
            if (id.names.size() > 2) {
                throw unsupported(id);
            }
            String name = id.names.get(id.names.size() - 1);
            if (name.equalsIgnoreCase(TableDef.SEQ)) {
                return StoredRow::seq;
            }
            if (name.equalsIgnoreCase(TableDef.DELETED)) {
                return StoredRow::deleted;
            }
            int idx = table.columnIndex(name);
            if (idx < 0) {
                throw KalamException.invalidSql("column does not exist [column=" + name + ", table="
                        + table.qualifiedName() + "]");
            }
            KalamType type = table.columns().get(idx).type();
            if (type.kind() == KalamType.Kind.TIMESTAMP || type.kind() == KalamType.Kind.DATETIME) {
                return row -> row.values()[idx] == null ? null : new TimestampValue((Long) row.values()[idx]);
            }
            return row -> row.values()[idx];
        }

        private static KalamException unsupported(SqlNode n) {
            return KalamException.invalidSql("unsupported expression in a subscription filter: " + n);
        }
    }

    /** A timestamp column value, comparable with microsecond numbers and date-time strings. */
    record TimestampValue(Long micros) {
    }

    private static Pattern likePattern(String like) {
        StringBuilder re = new StringBuilder();
        for (char ch : like.toCharArray()) {
            switch (ch) {
                case '%' -> re.append(".*");
                case '_' -> re.append('.');
                default -> re.append(Pattern.quote(String.valueOf(ch)));
            }
        }
        return Pattern.compile(re.toString(), Pattern.DOTALL);
    }

    private static BigDecimal toDecimal(Object v) {
        if (v instanceof BigDecimal d) {
            return d;
        }
        if (v instanceof Double || v instanceof Float) {
            return BigDecimal.valueOf(((Number) v).doubleValue());
        }
        if (v instanceof Number n) {
            return BigDecimal.valueOf(n.longValue());
        }
        if (v instanceof TimestampValue t) {
            return BigDecimal.valueOf(t.micros());
        }
        return new BigDecimal(v.toString().trim());
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static int compare(Object a, Object b) {
        if (a == null || b == null) {
            return 0;
        }
        if (a instanceof TimestampValue || b instanceof TimestampValue) {
            return Long.compare(micros(a), micros(b));
        }
        if (a instanceof Number || b instanceof Number) {
            if (a instanceof Boolean || b instanceof Boolean) {
                return a.toString().compareTo(b.toString());
            }
            try {
                return toDecimal(a).compareTo(toDecimal(b));
            } catch (NumberFormatException e) {
                return a.toString().compareTo(b.toString());
            }
        }
        if (a instanceof byte[] x && b instanceof byte[] y) {
            return Arrays.compare(x, y);
        }
        if (a.getClass() == b.getClass() && a instanceof Comparable c) {
            return c.compareTo(b);
        }
        return a.toString().compareTo(b.toString());
    }

    private static long micros(Object v) {
        if (v instanceof TimestampValue t) {
            return t.micros();
        }
        if (v instanceof Number n) {
            return n.longValue();
        }
        return ValueCoercion.parseInstantMicros(v.toString());
    }
}
