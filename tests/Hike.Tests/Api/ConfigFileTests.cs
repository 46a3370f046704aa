using Hike.Api;
using Hike.Edn;
using Hike.Testing;

namespace Hike.Tests.Api;

/// <summary>Config files: relative store paths are the file's folder's, whatever the working directory.</summary>
public sealed class ConfigFileTests
{
    [Fact]
    public void Relative_store_paths_resolve_against_the_files_folder_and_absolute_ones_stay()
    {
        using var dir = new TempDirectory();
        string conf = Directory.CreateDirectory(Path.Combine(dir.Path, "conf")).FullName;
        Write(conf, "file.edn", "{:store {:backend :file :path \"data/db\"}}");
        Write(conf, "up.edn", "{:store {:backend :file :path \"../shared\"}}");
        Write(conf, "absolute.edn", "{:store {:backend :file :path \"/var/lib/hike\"}}");
        Write(conf, "sqlite.edn", "{:store {:backend :jdbc :dbtype \"sqlite\" :dbname \"hike.db\"}}");
        Write(conf, "postgres.edn", "{:store {:backend :jdbc :dbtype \"postgresql\" :dbname \"hike\" :host \"127.0.0.1\"}}");
        Write(conf, "tiered.edn", "{:store {:backend :tiered :id \"t\" :frontend-config {:backend :mem :id \"f\"} :backend-config {:backend :file :path \"back\"}}}");

        Assert.Equal(Path.Combine(conf, "data", "db"), DatabaseConfig.Load(Path.Combine(conf, "file.edn")).Store.Path);
        Assert.Equal(Path.Combine(dir.Path, "shared"), DatabaseConfig.Load(Path.Combine(conf, "up.edn")).Store.Path);
        Assert.Equal("/var/lib/hike", DatabaseConfig.Load(Path.Combine(conf, "absolute.edn")).Store.Path);
        Assert.Equal(Path.Combine(conf, "hike.db"), DatabaseConfig.Load(Path.Combine(conf, "sqlite.edn")).Store.Options.Get(Keyword.Intern("dbname")));
        // A PostgreSQL :dbname is a database's name, not a file.
        Assert.Equal("hike", DatabaseConfig.Load(Path.Combine(conf, "postgres.edn")).Store.Options.Get(Keyword.Intern("dbname")));
        var back = (EdnMap)DatabaseConfig.Load(Path.Combine(conf, "tiered.edn")).Store.Options.Get(Keyword.Intern("backend-config"))!;
        Assert.Equal(Path.Combine(conf, "back"), back.Get(Keyword.Intern("path")));

        // Text without a file stays relative to the working directory, unless told its folder.
        Assert.Equal("data/db", DatabaseConfig.Parse("{:store {:backend :file :path \"data/db\"}}").Store.Path);
        Assert.Equal(Path.Combine(conf, "data", "db"), DatabaseConfig.Parse("{:store {:backend :file :path \"data/db\"}}", conf).Store.Path);
    }

    [Fact]
    public void A_config_file_that_does_not_read_is_named_in_the_error()
    {
        using var dir = new TempDirectory();
        string bad = Write(dir.Path, "bad.edn", "{:store {:backend :file}}");
        var error = Assert.Throws<HikeException>(() => DatabaseConfig.Load(bad));
        Assert.Equal(ErrorCodes.ConfigInvalid, error.Code);
        Assert.Equal($"{bad}: :store :path is required for the :file backend", error.Message);

        string missing = Path.Combine(dir.Path, "missing.edn");
        error = Assert.Throws<HikeException>(() => DatabaseConfig.Load(missing));
        Assert.Equal(ErrorCodes.ConfigInvalid, error.Code);
        Assert.StartsWith($"{missing}: ", error.Message, StringComparison.Ordinal);
    }

    private static string Write(string folder, string name, string text)
    {
        string path = Path.Combine(folder, name);
        File.WriteAllText(path, text);
        return path;
    }
}
