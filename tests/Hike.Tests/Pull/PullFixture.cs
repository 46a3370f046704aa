using System.Text;
using Hike.Api;
using Hike.Db;
using Hike.Edn;

namespace Hike.Tests.Pull;

/// <summary>
/// The database of DataScript's and Datahike's pull tests: people 1–9 with names, aliases, children
/// and fathers, and a tree of component parts 10–18. Schema entities take ids from 1001 so the
/// people keep the ids the original suites use.
/// </summary>
internal static class PullFixture
{
    public const string Schema = """
        [{:db/id 1001 :db/ident :name :db/unique :db.unique/identity}
         {:db/id 1002 :db/ident :aka :db/cardinality :db.cardinality/many}
         {:db/id 1003 :db/ident :child :db/valueType :db.type/ref :db/cardinality :db.cardinality/many}
         {:db/id 1004 :db/ident :friend :db/valueType :db.type/ref :db/cardinality :db.cardinality/many}
         {:db/id 1005 :db/ident :enemy :db/valueType :db.type/ref :db/cardinality :db.cardinality/many}
         {:db/id 1006 :db/ident :father :db/valueType :db.type/ref}
         {:db/id 1007 :db/ident :part :db/valueType :db.type/ref :db/isComponent true :db/cardinality :db.cardinality/many}
         {:db/id 1008 :db/ident :spec :db/valueType :db.type/ref :db/isComponent true :db/cardinality :db.cardinality/one}]
        """;

    public const string Data = """
        [[:db/add 1 :name "Petr"] [:db/add 1 :aka "Devil"] [:db/add 1 :aka "Tupen"]
         [:db/add 2 :name "David"] [:db/add 3 :name "Thomas"] [:db/add 4 :name "Lucy"]
         [:db/add 5 :name "Elizabeth"] [:db/add 6 :name "Matthew"] [:db/add 7 :name "Eunan"]
         [:db/add 8 :name "Kerri"] [:db/add 9 :name "Rebecca"]
         [:db/add 1 :child 2] [:db/add 1 :child 3]
         [:db/add 2 :father 1] [:db/add 3 :father 1] [:db/add 6 :father 3]
         [:db/add 10 :name "Part A"] [:db/add 11 :name "Part A.A"] [:db/add 10 :part 11]
         [:db/add 12 :name "Part A.A.A"] [:db/add 11 :part 12]
         [:db/add 13 :name "Part A.A.A.A"] [:db/add 12 :part 13]
         [:db/add 14 :name "Part A.A.A.B"] [:db/add 12 :part 14]
         [:db/add 15 :name "Part A.B"] [:db/add 10 :part 15]
         [:db/add 16 :name "Part A.B.A"] [:db/add 15 :part 16]
         [:db/add 17 :name "Part A.B.A.A"] [:db/add 16 :part 17]
         [:db/add 18 :name "Part A.B.A.B"] [:db/add 16 :part 18]]
        """;

    private static Database? s_db;

    /// <summary>The test database (a shared immutable value).</summary>
    public static Database TestDb => s_db ??= TestBackend.Build(new DatabaseConfig { SchemaFlexibility = SchemaFlexibility.Read }, Schema, Data);

    /// <summary>An empty database with schema-on-read and history.</summary>
    public static Database Empty() => Database.Empty(new DatabaseConfig { SchemaFlexibility = SchemaFlexibility.Read });

    public static Keyword K(string name) => Keyword.Intern(name);

    public static object? Read(string text) => EdnReader.Read(text);

    /// <summary>Asserts <paramref name="actual"/> equals the EDN value <paramref name="expected"/> (value semantics).</summary>
    public static void AssertEdn(string expected, object? actual)
    {
        var want = EdnReader.Read(expected);
        Assert.True(ValueEquality.Instance.Equals(want, actual), $"Expected {EdnPrinter.Print(want)}{Environment.NewLine}  but got {EdnPrinter.Print(actual)}");
    }

    /// <summary>Transaction data as EDN text, built from <c>[:db/add e a v]</c> lines.</summary>
    public static string Adds(IEnumerable<(long E, string A, object V)> adds)
    {
        var sb = new StringBuilder("[");
        foreach (var (e, a, v) in adds) sb.Append("[:db/add ").Append(e).Append(" :").Append(a).Append(' ').Append(EdnPrinter.Print(v)).Append(']');
        return sb.Append(']').ToString();
    }

    public static HikeException Throws(Action action) => Assert.Throws<HikeException>(action);
}
