using Hike.Testing;

namespace Hike.Cli.Tests;

/// <summary>A temporary folder holding <c>cfg.edn</c> for a file-store database with a small schema, created through the CLI.</summary>
internal sealed class Fixture : IDisposable
{
    public const string Schema = """
        [{:db/ident :name :db/valueType :db.type/string :db/cardinality :db.cardinality/one :db/unique :db.unique/identity}
         {:db/ident :age :db/valueType :db.type/long :db/cardinality :db.cardinality/one}]
        """;

    private readonly TempDirectory _dir = new();

    public Fixture(bool create = true)
    {
        File.WriteAllText(ConfigPath, $"{{:store {{:backend :file :path \"db\"}} :keep-history? true :schema-flexibility :write :initial-tx {Schema}}}");
        if (create) Cli.Ok(Dir, "create-database", "cfg.edn");
    }

    public string Dir => _dir.Path;

    public string ConfigPath => Path.Combine(Dir, "cfg.edn");

    /// <summary>The database's folder.</summary>
    public string DbPath => Path.Combine(Dir, "db");

    public string Ok(params string[] args) => Cli.Ok(Dir, args);

    public Cli.Result Run(params string[] args) => Cli.Run(Dir, null, args);

    public void Dispose() => _dir.Dispose();
}
