namespace Hike.Cli.Tests;

/// <summary>Branches from the command line: list, create, write on one, read one or a commit, merge, delete, collect.</summary>
public sealed class BranchCommandTests
{
    [Fact]
    public void A_branch_is_made_written_read_merged_and_deleted_from_the_command_line()
    {
        using var f = new Fixture();
        f.Ok("transact", "conn:cfg.edn", "[{:name \"Ann\" :age 30}]");
        Assert.Equal(":staging", f.Ok("branch", "conn:cfg.edn", ":db", ":staging"));
        Assert.Equal("#{:db :staging}", Sorted(f.Ok("branches", "db:cfg.edn")));

        // A config naming the branch writes on it.
        File.WriteAllText(Path.Combine(f.Dir, "staging.edn"), File.ReadAllText(f.ConfigPath).TrimEnd().TrimEnd('}') + " :branch :staging}");
        f.Ok("transact", "conn:staging.edn", "[{:name \"Ann\" :age 31} {:name \"Bob\"}]");
        Assert.Equal("#{[\"Ann\" 30]}", f.Ok("query", "[:find ?n ?a :where [?e :name ?n] [?e :age ?a]]", "db:cfg.edn"));
        Assert.Equal("#{[\"Ann\" 31]}", f.Ok("query", "[:find ?n ?a :where [?e :name ?n] [?e :age ?a]]", "branch:staging:cfg.edn"));

        Assert.Matches("^\\{:tx 536870915, :commit-id #uuid \"[0-9a-f-]{36}\"\\}$", f.Ok("merge-branch", "conn:cfg.edn", ":staging"));
        Assert.Equal("#{[\"Ann\" 31]}", f.Ok("query", "[:find ?n ?a :where [?e :name ?n] [?e :age ?a]]", "db:cfg.edn"));
        Assert.Equal("2", f.Ok("query", "[:find (count ?e) . :where [?e :name]]", "db:cfg.edn"));

        Assert.Matches("^\\{:tx 536870916, :commit-id #uuid \"[0-9a-f-]{36}\"\\}$", f.Ok("merge-db", "conn:cfg.edn", "{:parents #{:staging} :tx-data [{:name \"Cy\"}]}"));
        Assert.Equal(":staging", f.Ok("delete-branch", "conn:cfg.edn", "staging"));
        Assert.Equal("#{:db}", f.Ok("branches", "db:cfg.edn"));
        Assert.Matches("^[0-9]+$", f.Ok("gc-storage", "conn:cfg.edn"));
        Assert.Equal("3", f.Ok("query", "[:find (count ?e) . :where [?e :name]]", "db:cfg.edn"));
    }

    [Fact]
    public void Commit_reads_the_database_a_commit_stored()
    {
        using var f = new Fixture();
        f.Ok("transact", "conn:cfg.edn", "[{:name \"Ann\"}]");
        f.Ok("branch", "conn:cfg.edn", ":db", ":then");
        f.Ok("transact", "conn:cfg.edn", "[{:name \"Bob\"}]");
        // The :then branch names the commit of the first transaction; read it by id and branch from it.
        var merged = f.Ok("merge-db", "conn:cfg.edn", "{:parents #{:then} :tx-data []}");
        Assert.Matches("#uuid \"[0-9a-f-]{36}\"", merged);
        var id = merged[(merged.IndexOf("#uuid \"", StringComparison.Ordinal) + 7)..^2];
        Assert.Equal("#{[\"Ann\"] [\"Bob\"]}", Sorted(f.Ok("query", "[:find ?n :where [_ :name ?n]]", $"commit:{id}:cfg.edn")));
        f.Ok("branch", "conn:cfg.edn", id, ":copy");
        Assert.Equal("2", f.Ok("query", "[:find (count ?e) . :where [?e :name]]", "branch:copy:cfg.edn"));
    }

    /// <summary>An EDN set of keywords or vectors printed in a fixed order.</summary>
    private static string Sorted(string set)
    {
        var inner = set[2..^1];
        var items = inner.StartsWith('[') ? inner.Split("] [").Select(x => x.Trim('[', ']')).Order(StringComparer.Ordinal).Select(x => $"[{x}]") : inner.Split(' ').Order(StringComparer.Ordinal);
        return "#{" + string.Join(' ', items) + "}";
    }
}
