using System.Text;
using Hike.Api;
using Hike.Edn;
using Hike.Storage;
using Hike.Storage.S3;
using Hike.Versioning;

namespace Hike.Tests.Stores;

/// <summary>
/// What is particular to the <c>:s3</c> backend, against s3rver (<see cref="BackendDatabaseTests"/> has
/// whole databases on it): writing refused on a server that cannot compare-and-set unless a head store
/// or <c>:fencing :none</c> says how, the probe that finds out, the config's keys and its credentials.
/// </summary>
public sealed class S3DatabaseTests
{
    private const string Schema = "[{:db/ident :name :db/valueType :db.type/string :db/cardinality :db.cardinality/one :db/unique :db.unique/identity}]";

    [Fact]
    public async Task Databases_created_at_once_in_a_bucket_that_is_not_there_yet_all_open()
    {
        // Each opening finds no bucket and creates it; all but one find it created meanwhile (s3rver says BucketAlreadyExists).
        string bucket = $"hike-race-{Guid.NewGuid():N}"[..30];
        var configs = Enumerable.Range(0, 6)
            .Select(_ => Servers.S3(Servers.UniqueId(), ":fencing :none"))
            .Select(c => c with { Store = c.Store with { Options = c.Store.Options.With(Keyword.Intern("bucket"), bucket) }, InitialTx = EdnReader.Read(Schema) })
            .ToList();
        await Task.WhenAll(configs.Select(c => Task.Run(() => Database.CreateAsync(c))));
        foreach (var config in configs)
        {
            using var conn = await Database.ConnectAsync(config);
            Assert.Contains(":name", conn.Db.Schema().Keys.Select(k => k.ToString()));
        }
    }

    [Fact]
    public async Task The_stored_config_and_every_message_leave_out_the_access_key_and_the_secret()
    {
        // The test server's credentials are "S3RVER" and "S3RVER"; the head store's password another secret.
        var config = Servers.S3WithPostgresHeads(Servers.UniqueId());
        var headStore = (EdnMap)config.Store.Options[Keyword.Intern("head-store")]!;
        config = config with { Store = config.Store with { Options = config.Store.Options.With(Keyword.Intern("head-store"), headStore.With(Keyword.Intern("password"), "hunter2")) } };
        await Database.CreateAsync(config);
        var exists = await Assert.ThrowsAsync<HikeException>(() => Database.CreateAsync(config));
        using var store = StoreBackends.Locate(config.Store).Open();
        var stored = Encoding.UTF8.GetString(store.Get(StoreLayout.ConfigKey)!);

        Assert.Equal(ErrorCodes.DbExists, exists.Code);
        Assert.Contains(":head-store", stored, StringComparison.Ordinal);
        Assert.Contains(":access-key", config.Store.Options.ToString()!, StringComparison.Ordinal);
        foreach (var text in (string[])[stored, exists.Message, config.Store.ToString(), StoreBackends.Locate(config.Store).Description])
        {
            Assert.DoesNotContain("S3RVER", text, StringComparison.Ordinal);
            Assert.DoesNotContain("hunter2", text, StringComparison.Ordinal);
            Assert.DoesNotContain(":secret", text, StringComparison.Ordinal);
            Assert.DoesNotContain(":access-key", text, StringComparison.Ordinal);
        }
        await Database.DeleteAsync(config);
    }

    [Fact]
    public async Task Without_a_head_store_or_fencing_none_a_server_that_cannot_compare_and_set_refuses_writes_but_reads()
    {
        var id = Servers.UniqueId();
        var unfenced = Servers.S3(id, ":fencing :none");
        var plain = Servers.S3(id);
        await Database.CreateAsync(unfenced);
        using (var writer = await Database.ConnectAsync(unfenced))
        {
            writer.Transact(Schema);
            writer.Transact("[{:name \"Ada\"}]");
        }

        var create = await Assert.ThrowsAsync<HikeException>(() => Database.CreateAsync(Servers.S3(Servers.UniqueId())));
        using (var reader = await Database.ConnectAsync(plain))
        {
            Assert.Equal("Ada", Datalog.Q("[:find ?n . :where [_ :name ?n]]", reader.Db));
            var write = Assert.Throws<HikeException>(() => reader.Transact("[{:name \"Eve\"}]"));
            Assert.Equal(ErrorCodes.StorageUnfenced, write.Code);
        }
        var delete = await Assert.ThrowsAsync<HikeException>(() => Database.DeleteAsync(plain));

        Assert.Equal(ErrorCodes.StorageUnfenced, create.Code);
        Assert.Equal(ErrorCodes.StorageUnfenced, delete.Code);
        Assert.Contains("cannot compare-and-set", create.Message, StringComparison.Ordinal);
        Assert.Contains(":head-store", create.Message, StringComparison.Ordinal);
        Assert.Contains(":fencing :none", create.Message, StringComparison.Ordinal);
        Assert.Contains($":s3 \"{Servers.S3Bucket}/", create.Message, StringComparison.Ordinal);
        Assert.True(await Database.DeleteAsync(unfenced));
    }

    [Fact]
    public void The_probe_finds_that_s3rver_ignores_conditional_writes_and_leaves_nothing_behind()
    {
        var config = Servers.S3(Servers.UniqueId());
        var location = (S3StoreLocation)StoreBackends.Locate(config.Store);
        using var store = (S3Store)location.Open();
        var settings = new S3StoreSettings { Bucket = Servers.S3Bucket, Id = config.Store.Id, Description = location.Description, Key = location.Key, Fencing = S3Fencing.Refused };

        Assert.False(S3StoreLocation.Probe(store.Client, settings));
        Assert.False(location.MayExist());
        Assert.Equal(ErrorCodes.StorageUnfenced, Assert.Throws<HikeException>(() => store.Put("config", [1])).Code);
        Assert.Equal(ErrorCodes.StorageUnfenced, Assert.Throws<HikeException>(() => store.CompareAndSet("heads/db", default, expectAbsent: true, [1])).Code);
        Assert.Null(store.Get("config"));
    }

    [Theory]
    [InlineData(":bucket \"b\" :colour \"blue\"", ":colour")]
    [InlineData(":fencing :some", ":fencing must be :none")]
    [InlineData(":endpoint-override {:protocol :ftp :hostname \"h\"}", ":protocol must be :http or :https")]
    [InlineData(":endpoint-override {:hostname \"h\" :user \"u\"}", "Unknown key :user in :store :endpoint-override")]
    [InlineData(":path-style-access? \"yes\"", ":path-style-access? must be true or false")]
    [InlineData(":head-store {:backend :mem :id \"m\"}", ":head-store must be a durable store")]
    [InlineData(":access-key \"AKIAHUNTER2\"", "both :access-key and :secret")]
    public void A_malformed_s3_config_is_a_config_error_naming_the_key(string keys, string expected)
    {
        var config = DatabaseConfig.Parse($"{{:store {{:backend :s3 :id \"x\" {keys}}}}}");

        var error = Assert.Throws<HikeException>(() => StoreBackends.Locate(config.Store));

        Assert.Equal(ErrorCodes.ConfigInvalid, error.Code);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("HUNTER2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_config_of_konserve_s3_s_readme_is_read_its_retry_count_checked_and_ignored()
    {
        var config = DatabaseConfig.Parse("""
            {:store {:backend :s3 :region "us-west-1" :bucket "my-bucket" :id #uuid "550e8400-e29b-41d4-a716-446655440000"
                     :access-key "your-access-key" :secret "your-secret"
                     :endpoint-override {:protocol :https :hostname "fly.storage.tigris.dev"} :x-ray? false
                     :config {:optimistic-locking-retries 10}}}
            """);
        var wrong = Assert.Throws<HikeException>(() => DatabaseConfig.Parse("{:store {:backend :s3 :id \"x\" :config {:optimistic-locking-retries \"ten\"}}}"));

        var location = StoreBackends.Locate(config.Store);

        Assert.Equal(":s3 \"my-bucket/550e8400-e29b-41d4-a716-446655440000\"", location.Description);
        Assert.Equal("s3://fly.storage.tigris.dev/my-bucket/550e8400-e29b-41d4-a716-446655440000", location.Key);
        Assert.Equal(ErrorCodes.ConfigInvalid, wrong.Code);
    }

    [Fact]
    public void An_s3_config_needs_an_id_and_never_shows_a_secret_of_the_wrong_type()
    {
        var noId = Assert.Throws<HikeException>(() => StoreBackends.Locate(DatabaseConfig.Parse("{:store {:backend :s3 :bucket \"b\"}}").Store));
        var badSecret = Assert.Throws<HikeException>(() => StoreBackends.Locate(DatabaseConfig.Parse("{:store {:backend :s3 :id \"x\" :access-key \"a\" :secret 424242}}").Store));

        Assert.Contains(":id is required", noId.Message, StringComparison.Ordinal);
        Assert.Contains(":secret must be a string", badSecret.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("424242", badSecret.Message, StringComparison.Ordinal);
    }
}
