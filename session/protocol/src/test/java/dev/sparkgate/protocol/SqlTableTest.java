package dev.sparkgate.protocol;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class SqlTableTest {

    private static final Map<String, Object> ID_FIELD = Map.of("name", "id", "type", "long", "nullable", false,
            "metadata", Map.of());
    private static final Map<String, Object> NOTE_FIELD = Map.of("name", "note", "type", "string", "nullable", true,
            "metadata", Map.of());

    @Test
    void aSparkResultTravelsAsLivysJsonLivysTableAndAGrid() {
        // given a table of two typed columns, cut by the row cap
        var table = new SqlTable(List.of(new SqlTable.Column("id", "bigint", ID_FIELD),
                new SqlTable.Column("note", "string", NOTE_FIELD)), List.of(List.of(0, "a"), nullNote(1)), true);

        // when it becomes a result bundle and goes over the wire
        Map<String, Object> bundle = table.toBundle();
        String json = Json.write(bundle);

        // then Livy's JSON carries Spark's schema, the rows and the cut; Livy's table the names and SQL types
        assertThat(json).contains("\"application/json\":{\"schema\":{\"type\":\"struct\",\"fields\":[{",
                "\"data\":[[0,\"a\"],[1,null]],\"truncated\":true}");
        assertThat(bundle.get(Mime.JSON)).isEqualTo(Map.of("schema",
                Map.of("type", "struct", "fields", List.of(ID_FIELD, NOTE_FIELD)),
                "data", List.of(List.of(0, "a"), nullNote(1)), "truncated", true));
        assertThat(bundle.get(Mime.LIVY_TABLE)).isEqualTo(Map.of("headers",
                List.of(Map.of("name", "id", "type", "bigint"), Map.of("name", "note", "type", "string")),
                "data", List.of(List.of(0, "a"), nullNote(1))));
        assertThat(bundle.get(Mime.TEXT)).isEqualTo("""
                +---+----+
                | id|note|
                +---+----+
                |  0|   a|
                |  1|NULL|
                +---+----+
                only showing top 2 rows
                """);
        // and the other side reads the same table back
        @SuppressWarnings("unchecked")
        Map<String, Object> received = Json.read(json, Map.class);
        assertThat(SqlTable.in(received)).contains(table);
    }

    @Test
    void aResultReadFromTheWireHoldsItsRowsOnceForBothShapesOfTheTable() {
        // given a finished SQL statement as it crosses a link: both table shapes carry the rows
        var table = new SqlTable(List.of(new SqlTable.Column("id", "bigint", ID_FIELD),
                new SqlTable.Column("note", "string", NOTE_FIELD)), List.of(List.of(0, "a"), nullNote(1)), false);
        String wire = Json.write(StatementEvent.Finished.ok(7, table.toBundle()));

        // when it is read back
        StatementEvent.Finished read = (StatementEvent.Finished) Json.read(wire, StatementEvent.class);

        // then Livy's JSON and Livy's table hold the very same list, and the bundle still writes as it was sent
        Object jsonRows = ((Map<?, ?>) read.result().get(Mime.JSON)).get("data");
        Object tableRows = ((Map<?, ?>) read.result().get(Mime.LIVY_TABLE)).get("data");
        assertThat(tableRows).isSameAs(jsonRows);
        assertThat(Json.write(read)).isEqualTo(wire);
        assertThat(SqlTable.in(read.result())).contains(table);
    }

    @Test
    void rowsThatDifferBetweenTheShapesAreNotShared() {
        Map<String, Object> bundle = Map.of(
                Mime.JSON, Map.of("data", List.of(List.of(1)), "truncated", false),
                Mime.LIVY_TABLE, Map.of("headers", List.of(), "data", List.of(List.of(2))));

        assertThat(SqlTable.sharingRows(bundle)).isSameAs(bundle);
    }

    @Test
    void aTableWithoutLivysJsonIsWholeAndABundleWithoutATableHasNone() {
        Map<String, Object> fromPython = Map.of(Mime.LIVY_TABLE, Map.of(
                "headers", List.of(Map.of("name", "x", "type", "int")), "data", List.of(List.of(1))));

        assertThat(SqlTable.in(fromPython)).contains(
                new SqlTable(List.of(SqlTable.Column.of("x", "int")), List.of(List.of(1)), false));
        assertThat(SqlTable.in(Map.of(Mime.TEXT, "3"))).isEmpty();
        assertThat(SqlTable.in(Map.of(Mime.LIVY_TABLE, Map.of("headers", "not a list")))).isEmpty();
    }

    @Test
    void aTableWithoutSparksSchemaHasNoLivyJsonAndAStatementWithoutColumnsNoGrid() {
        var plain = new SqlTable(List.of(SqlTable.Column.of("x", "int")), List.of(List.of(1)), false);

        assertThat(plain.toBundle()).containsKeys(Mime.TEXT, Mime.LIVY_TABLE).doesNotContainKey(Mime.JSON);
        assertThat(new SqlTable(List.of(), List.of(), false).text()).isEmpty();
    }

    private static List<Object> nullNote(int id) {
        List<Object> row = new ArrayList<>();
        row.add(id);
        row.add(null);
        return row;
    }
}
