using Hike.Api;
using Hike.Edn;
using static Hike.Tests.Transactions.TxFixture;

namespace Hike.Tests.Api;

/// <summary><see cref="Database.Q{T}(object)"/> and <see cref="Database.QValue{T}(object)"/>: rows and values as CLR types.</summary>
public sealed class TypedQueryTests
{
    private const string Schema = """
        [{:db/ident :name :db/valueType :db.type/string :db/cardinality :db.cardinality/one}
         {:db/ident :person/first-name :db/valueType :db.type/string :db/cardinality :db.cardinality/one}
         {:db/ident :age :db/valueType :db.type/long :db/cardinality :db.cardinality/one}
         {:db/ident :role :db/valueType :db.type/keyword :db/cardinality :db.cardinality/one}
         {:db/ident :born :db/valueType :db.type/instant :db/cardinality :db.cardinality/one}
         {:db/ident :uid :db/valueType :db.type/uuid :db/cardinality :db.cardinality/one}
         {:db/ident :friend :db/valueType :db.type/ref :db/cardinality :db.cardinality/one}
         {:db/ident :tags :db/valueType :db.type/string :db/cardinality :db.cardinality/many}]
        """;

    private const string Data = """
        [{:db/id 1 :name "Ivan" :person/first-name "Ivan" :age 30 :role :admin :born #inst "1990-05-01T00:00:00Z"
          :uid #uuid "11111111-2222-3333-4444-555555555555" :tags ["a" "b"]}
         {:db/id 2 :name "Petr" :person/first-name "Petr" :age 41 :role :user :friend 1}]
        """;

    private static Database People() => NewDb(Schema, data: Data);

    public sealed record Person(string Name, long Age);

    public sealed record NamedPerson(string FirstName, int Age);

    public sealed class PersonClass
    {
        public string? Name { get; set; }

        public int Age { get; set; }
    }

    public enum Role
    {
        Admin,
        User,
    }

    [Fact]
    public void A_relation_maps_to_tuples_by_position()
    {
        var rows = People().Q<(string, long)>("[:find ?n ?a :where [?e :name ?n] [?e :age ?a]]");
        Assert.Equal([("Ivan", 30L), ("Petr", 41L)], rows.OrderBy(r => r.Item1));
    }

    [Fact]
    public void A_relation_maps_to_a_record_constructor_by_position()
    {
        var rows = People().Q<Person>("[:find ?n ?a :where [?e :name ?n] [?e :age ?a]]");
        Assert.Equal([new Person("Ivan", 30), new Person("Petr", 41)], rows.OrderBy(r => r.Name));
    }

    [Fact]
    public void Keys_map_rows_by_name_with_kebab_case_and_any_case()
    {
        var rows = People().Q<NamedPerson>("[:find ?n ?a :keys first-name AGE :where [?e :person/first-name ?n] [?e :age ?a]]");
        Assert.Equal([new NamedPerson("Ivan", 30), new NamedPerson("Petr", 41)], rows.OrderBy(r => r.FirstName));
    }

    [Fact]
    public void Strs_map_rows_by_name_into_a_class_with_setters()
    {
        var rows = People().Q<PersonClass>("[:find ?n ?a :strs name age :where [?e :name ?n] [?e :age ?a]]");
        Assert.Equal(["Ivan:30", "Petr:41"], rows.Select(p => $"{p.Name}:{p.Age}").Order());
    }

    [Fact]
    public void A_one_column_relation_reads_its_values()
    {
        Assert.Equal(["Ivan", "Petr"], People().Q<string>("[:find ?n :where [_ :name ?n]]").Order());
        Assert.Equal([30, 41], People().Q<int>("[:find ?a :where [_ :age ?a]]").Order());
    }

    [Fact]
    public void A_collection_reads_each_value()
    {
        Assert.Equal([30.0, 41.0], People().Q<double>("[:find [?a ...] :where [_ :age ?a]]").Order());
    }

    [Fact]
    public void A_pulled_column_fills_a_record_by_name()
    {
        var rows = People().Q<NamedPerson>("[:find (pull ?e [:person/first-name :age]) :where [?e :name]]");
        Assert.Equal([new NamedPerson("Ivan", 30), new NamedPerson("Petr", 41)], rows.OrderBy(r => r.FirstName));
    }

    [Fact]
    public void Keywords_read_as_text_enums_or_keywords()
    {
        var db = People();
        Assert.Equal(["admin", "user"], db.Q<string>("[:find [?r ...] :where [_ :role ?r]]").Order());
        Assert.Equal([Role.Admin, Role.User], db.Q<Role>("[:find [?r ...] :where [_ :role ?r]]").Order());
        Assert.Equal([K("admin"), K("user")], db.Q<Keyword>("[:find [?r ...] :where [_ :role ?r]]").OrderBy(k => k.Name));
    }

    [Fact]
    public void Instants_uuids_and_refs_read_as_their_clr_types()
    {
        var db = People();
        Assert.Equal(new DateTime(1990, 5, 1, 0, 0, 0, DateTimeKind.Utc), db.QValue<DateTime>("[:find ?b . :where [_ :born ?b]]"));
        Assert.Equal(Guid.Parse("11111111-2222-3333-4444-555555555555"), db.QValue<Guid>("[:find ?u . :where [_ :uid ?u]]"));
        Assert.Equal(1L, db.QValue<long>("[:find ?f . :where [2 :friend ?f]]"));
    }

    [Fact]
    public void A_vector_value_reads_as_an_array_or_a_list()
    {
        var db = People();
        var pulled = db.QValue<IReadOnlyList<string>>("[:find ?ts . :where [1 :name] [(ground [\"x\" \"y\"]) ?ts]]");
        Assert.Equal(["x", "y"], pulled);
        Assert.Equal(new[] { 1, 2 }, db.QValue<int[]>("[:find ?v . :where [(ground [1 2]) ?v]]"));
        Assert.Equal(new HashSet<string> { "x" }, db.QValue<IReadOnlySet<string>>("[:find ?v . :where [(ground #{\"x\"}) ?v]]"));
    }

    [Fact]
    public void A_tuple_find_reads_one_row()
    {
        var row = People().QValue<(string Name, int Age)>("[:find [?n ?a] :where [?e :name ?n] [?e :age ?a] [(< ?a 35)]]");
        Assert.Equal(("Ivan", 30), row);
    }

    [Fact]
    public void A_scalar_find_that_finds_nothing_is_null()
    {
        var db = People();
        Assert.Null(db.QValue<string>("[:find ?n . :where [_ :name ?n] [(= ?n \"Nobody\")]]"));
        Assert.Null(db.QValue<long?>("[:find ?e . :where [?e :name \"Nobody\"]]"));
        var nothing = Assert.Throws<HikeException>(() => db.QValue<long>("[:find ?e . :where [?e :name \"Nobody\"]]"));
        Assert.Equal(ErrorCodes.QueryResultType, nothing.Code);
        Assert.Contains("long?", nothing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_value_that_does_not_fit_names_its_column_and_value()
    {
        var e = Assert.Throws<HikeException>(() => People().Q<(string, int)>("[:find ?n ?r :where [?e :name ?n] [?e :role ?r]]"));
        Assert.Equal(ErrorCodes.QueryResultType, e.Code);
        Assert.Equal("Column 2 (?r) holds :admin (a keyword), which does not fit an int", e.Message);
    }

    [Fact]
    public void An_integer_too_large_for_the_type_asked_is_a_result_type_error()
    {
        var e = Assert.Throws<HikeException>(() => Database.Empty().QValue<int>("[:find ?x . :in $ ?x]", 5_000_000_000L));
        Assert.Equal(ErrorCodes.QueryResultType, e.Code);
        Assert.Contains("5000000000", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_row_of_more_columns_than_the_constructor_takes_is_a_result_type_error()
    {
        var e = Assert.Throws<HikeException>(() => People().Q<Person>("[:find ?n ?a ?r :where [?e :name ?n] [?e :age ?a] [?e :role ?r]]"));
        Assert.Equal(ErrorCodes.QueryResultType, e.Code);
        Assert.Contains("constructor of 3 parameters", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_wrong_method_for_the_find_spec_says_which_to_use()
    {
        var db = People();
        Assert.Contains("QValue<T>", Assert.Throws<HikeException>(() => db.Q<string>("[:find ?n . :where [_ :name ?n]]")).Message, StringComparison.Ordinal);
        Assert.Contains("Q<T>", Assert.Throws<HikeException>(() => db.QValue<string>("[:find ?n :where [_ :name ?n]]")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Datalog_q_of_t_takes_the_database_as_an_input()
    {
        var rows = Datalog.Q<(string, long)>("[:find ?n ?a :in $ ?min :where [?e :name ?n] [?e :age ?a] [(> ?a ?min)]]", People(), 35L);
        Assert.Equal([("Petr", 41L)], rows);
        Assert.Equal(41L, Datalog.QValue<long>("[:find (max ?a) . :where [_ :age ?a]]", People()));
    }

    [Fact]
    public void Inputs_bind_as_in_the_untyped_query()
    {
        var rows = People().Q<string>("[:find ?n :in $ [?a ...] :where [?e :age ?a] [?e :name ?n]]", new[] { 41L });
        Assert.Equal(["Petr"], rows);
    }
}
