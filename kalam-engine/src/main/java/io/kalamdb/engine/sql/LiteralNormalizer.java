package io.kalamdb.engine.sql;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.calcite.sql.SqlBasicTypeNameSpec;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlCharStringLiteral;
import org.apache.calcite.sql.SqlDataTypeSpec;
import org.apache.calcite.sql.SqlDynamicParam;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlNumericLiteral;
import org.apache.calcite.sql.SqlOrderBy;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.util.SqlBasicVisitor;
import org.apache.calcite.sql.util.SqlShuttle;

/**
 * Turns the literals of a query's WHERE comparisons and its LIMIT/OFFSET into parameters, so that one cached plan
 * serves every text that differs only in those values. A literal becomes {@code CAST(? AS <the literal's own
 * type>)} (a bare {@code ?} would take the column's type and round the value to it); LIMIT and OFFSET become a
 * bare {@code ?}. Only operands of comparisons, IN lists and BETWEEN, reached through AND, OR and NOT, are
 * replaced: literals anywhere else (select list, function arguments, LIKE patterns, sub-queries, ORDER BY
 * ordinals) keep their text. Templates are cached by statement text.
 */
final class LiteralNormalizer {
    private static final int CACHE_SIZE = 2048;
    private static final int MAX_CACHED_SQL_LENGTH = 8 * 1024;
    private static final Map<String, Template> CACHE = Collections.synchronizedMap(
            new LinkedHashMap<>(256, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Template> eldest) {
                    return size() > CACHE_SIZE;
                }
            });

    /** A statement's text and its parameter values. */
    record Normalized(String sql, List<Object> params) {
    }

    /**
     * A template and how to fill its parameters: each slot is the index of a parameter of the original text, or a
     * constant taken from a replaced literal. A null template means the text is kept as it is.
     */
    private record Template(String sql, int[] refs, Object[] constants) {
    }

    private LiteralNormalizer() {
    }

    /** The normalised form of {@code sql} (whose parse tree is {@code node}) with {@code params} in its order. */
    static Normalized normalize(String sql, SqlNode node, List<Object> params) {
        Template t = CACHE.get(sql);
        if (t == null) {
            try {
                t = template(node);
            } catch (RuntimeException e) {
                t = new Template(null, null, null); // a tree the unparser cannot round-trip: keep the text
            }
            if (sql.length() <= MAX_CACHED_SQL_LENGTH) {
                CACHE.put(sql, t);
            }
        }
        if (t.sql() == null) {
            return new Normalized(sql, params);
        }
        List<Object> values = new ArrayList<>(t.refs().length);
        for (int i = 0; i < t.refs().length; i++) {
            values.add(t.refs()[i] >= 0 ? params.get(t.refs()[i]) : t.constants()[i]);
        }
        return new Normalized(t.sql(), values);
    }

    /** A slot of the template at the original text's position of the node it stands for. */
    private record Slot(SqlParserPos pos, int ref, Object constant) {
    }

    private static Template template(SqlNode node) {
        SqlSelect select = node instanceof SqlOrderBy ob ? (ob.query instanceof SqlSelect s ? s : null)
                : node instanceof SqlSelect s ? s : null;
        if (select == null) {
            return new Template(null, null, null);
        }
        List<Slot> slots = new ArrayList<>();
        java.util.Set<SqlNode> limits = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (SqlNode n : node instanceof SqlOrderBy ob ? new SqlNode[] {ob.fetch, ob.offset}
                : new SqlNode[] {select.getFetch(), select.getOffset()}) {
            if (n != null) {
                limits.add(n);
            }
        }
        node.accept(new SqlBasicVisitor<Void>() {
            @Override
            public Void visit(SqlDynamicParam param) {
                if (!limits.contains(param)) {
                    slots.add(new Slot(param.getParserPosition(), param.getIndex(), null));
                }
                return null;
            }
        });
        int before = slots.size();
        Replacer replacer = new Replacer(slots);
        SqlNode where = select.getWhere() == null ? null : select.getWhere().accept(replacer);
        // OFFSET and FETCH end the unparsed text, OFFSET first, whatever order the original text had
        List<Slot> tail = new ArrayList<>(2);
        SqlNode fetch;
        SqlNode offset;
        SqlNode result;
        if (node instanceof SqlOrderBy ob) {
            offset = limit(ob.offset, tail);
            fetch = limit(ob.fetch, tail);
            SqlSelect inner = copy(select, where, select.getFetch(), select.getOffset());
            result = new SqlOrderBy(ob.getParserPosition(), inner, ob.orderList, offset, fetch);
        } else {
            offset = limit(select.getOffset(), tail);
            fetch = limit(select.getFetch(), tail);
            result = copy(select, where, fetch, offset);
        }
        if (slots.size() == before && tail.isEmpty()) {
            return new Template(null, null, null);
        }
        slots.sort(Comparator.comparingInt((Slot s) -> s.pos().getLineNum())
                .thenComparingInt(s -> s.pos().getColumnNum()));
        slots.addAll(tail);
        String text = CalciteSql.unparse(result);
        if (countParams(text) != slots.size()) {
            return new Template(null, null, null); // a construct unparsed in another order: keep the text
        }
        int[] refs = new int[slots.size()];
        Object[] constants = new Object[slots.size()];
        for (int i = 0; i < slots.size(); i++) {
            refs[i] = slots.get(i).ref();
            constants[i] = slots.get(i).constant();
        }
        return new Template(text, refs, constants);
    }

    private static SqlSelect copy(SqlSelect s, SqlNode where, SqlNode fetch, SqlNode offset) {
        return new SqlSelect(s.getParserPosition(), (SqlNodeList) s.getOperandList().get(0), s.getSelectList(),
                s.getFrom(), where, s.getGroup(), s.getHaving(), s.getWindowList(), s.getQualify(), s.getOrderList(),
                offset, fetch, s.getHints());
    }

    private static int countParams(String template) {
        int[] n = {0};
        CalciteSql.parse(template).accept(new SqlBasicVisitor<Void>() {
            @Override
            public Void visit(SqlDynamicParam param) {
                n[0]++;
                return null;
            }
        });
        return n[0];
    }

    /** A LIMIT/OFFSET literal that fits an INTEGER as {@code ?}, else the node itself (a parameter keeps its slot). */
    private static SqlNode limit(SqlNode n, List<Slot> slots) {
        if (n instanceof SqlDynamicParam p) {
            slots.add(new Slot(p.getParserPosition(), p.getIndex(), null));
            return n;
        }
        if (n instanceof SqlNumericLiteral lit && lit.isExact()) {
            BigDecimal v = lit.getValueAs(BigDecimal.class);
            if (v.signum() >= 0 && v.scale() <= 0 && v.compareTo(BigDecimal.valueOf(Integer.MAX_VALUE)) <= 0) {
                slots.add(new Slot(n.getParserPosition(), -1, v.intValueExact()));
                return new SqlDynamicParam(0, n.getParserPosition());
            }
        }
        return n;
    }

    /** Replaces literal operands of comparisons, descending only through boolean connectives. */
    private static final class Replacer extends SqlShuttle {
        private final List<Slot> slots;

        Replacer(List<Slot> slots) {
            this.slots = slots;
        }

        @Override
        public SqlNode visit(SqlCall call) {
            SqlKind kind = call.getKind();
            switch (kind) {
                case AND, OR, NOT -> {
                    return super.visit(call);
                }
                case EQUALS, NOT_EQUALS, LESS_THAN, LESS_THAN_OR_EQUAL, GREATER_THAN, GREATER_THAN_OR_EQUAL,
                     IS_DISTINCT_FROM, IS_NOT_DISTINCT_FROM, IN, NOT_IN, BETWEEN -> {
                    List<SqlNode> operands = call.getOperandList();
                    SqlNode[] replaced = new SqlNode[operands.size()];
                    boolean changed = false;
                    for (int i = 0; i < operands.size(); i++) {
                        replaced[i] = operand(operands.get(i));
                        changed |= replaced[i] != operands.get(i);
                    }
                    if (!changed) {
                        return call;
                    }
                    return call.getOperator().createCall(call.getFunctionQuantifier(), call.getParserPosition(),
                            replaced);
                }
                default -> {
                    return call;
                }
            }
        }

        private SqlNode operand(SqlNode operand) {
            if (operand instanceof SqlNodeList list && !(operand instanceof SqlSelect)) {
                List<SqlNode> items = new ArrayList<>(list.size());
                boolean changed = false;
                for (SqlNode item : list) {
                    SqlNode r = literal(item);
                    items.add(r);
                    changed |= r != item;
                }
                return changed ? new SqlNodeList(items, list.getParserPosition()) : list;
            }
            if (operand instanceof SqlCall c && (c.getKind() == SqlKind.AND || c.getKind() == SqlKind.OR
                    || c.getKind() == SqlKind.NOT || isComparison(c.getKind()))) {
                return visit(c);
            }
            return literal(operand);
        }

        private static boolean isComparison(SqlKind kind) {
            return SqlKind.COMPARISON.contains(kind);
        }

        /** {@code CAST(? AS <type>)} for an exact numeric or character literal, else the node. */
        private SqlNode literal(SqlNode node) {
            SqlParserPos pos = node.getParserPosition();
            SqlBasicTypeNameSpec type;
            Object value;
            if (node instanceof SqlNumericLiteral n && n.isExact()) {
                BigDecimal v = n.getValueAs(BigDecimal.class);
                if (v.scale() <= 0 && v.compareTo(BigDecimal.valueOf(Integer.MAX_VALUE)) <= 0
                        && v.compareTo(BigDecimal.valueOf(Integer.MIN_VALUE)) >= 0) {
                    type = new SqlBasicTypeNameSpec(SqlTypeName.INTEGER, pos);
                    value = v.intValueExact();
                } else if (v.scale() <= 0 && v.toBigIntegerExact().bitLength() < 64) {
                    type = new SqlBasicTypeNameSpec(SqlTypeName.BIGINT, pos);
                    value = v.longValueExact();
                } else {
                    int scale = Math.max(0, v.scale());
                    int precision = Math.max(v.precision(), scale);
                    if (precision > 19) {
                        return node; // wider than Calcite's default DECIMAL: keep the text
                    }
                    type = new SqlBasicTypeNameSpec(SqlTypeName.DECIMAL, precision, scale, pos);
                    value = v.setScale(scale);
                }
            } else if (node instanceof SqlCharStringLiteral s) {
                type = new SqlBasicTypeNameSpec(SqlTypeName.VARCHAR, pos);
                value = s.getValueAs(String.class);
            } else {
                return node;
            }
            slots.add(new Slot(pos, -1, value));
            return SqlStdOperatorTable.CAST.createCall(pos, new SqlDynamicParam(0, pos),
                    new SqlDataTypeSpec(type, pos));
        }
    }
}
