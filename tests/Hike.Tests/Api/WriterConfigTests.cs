using Hike.Api;
using Hike.Edn;

namespace Hike.Tests.Api;

/// <summary>A connection's <c>:writer</c>: this process (Datahike's <c>{:backend :self}</c>) or a remote one, whose options stay out of the stored config.</summary>
public sealed class WriterConfigTests
{
    [Fact]
    public void Self_is_this_process_and_a_remote_writer_keeps_its_options_out_of_the_stored_config()
    {
        Assert.Null(DatabaseConfig.Parse("{:store {:backend :mem :id \"w\"} :writer {:backend :self}}").Writer);
        var remote = DatabaseConfig.Parse("{:store {:backend :mem :id \"w\"} :writer {:backend :datahike-server :url \"http://127.0.0.1:4444\" :token \"t0ken\"}}");
        Assert.Equal(Keyword.Intern("datahike-server"), remote.Writer!.Get(Keyword.Intern("backend")));
        Assert.False(remote.ToEdn().ContainsKey(Keyword.Intern("writer")));
        Assert.DoesNotContain("t0ken", EdnPrinter.Print(remote.ToEdn()), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{:store {:backend :mem :id \"w\"} :writer 1}", ":writer must be a map with a :backend keyword")]
    [InlineData("{:store {:backend :mem :id \"w\"} :writer {:url \"http://x\"}}", ":writer must be a map with a :backend keyword")]
    public void A_writer_without_a_backend_is_a_config_error(string config, string message)
    {
        var error = Assert.Throws<HikeException>(() => DatabaseConfig.Parse(config));
        Assert.Equal(ErrorCodes.ConfigInvalid, error.Code);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_writer_backend_is_a_config_error_naming_the_ones_there_are()
    {
        var config = DatabaseConfig.Parse($"{{:store {{:backend :mem :id \"{Guid.NewGuid()}\"}}}}");
        await Database.CreateAsync(config);
        var error = await Assert.ThrowsAsync<HikeException>(() => Database.ConnectAsync(config with { Writer = EdnMap.Of(Keyword.Intern("backend"), Keyword.Intern("carrier-pigeon")) }));
        Assert.Equal(ErrorCodes.ConfigInvalid, error.Code);
        Assert.Contains(":carrier-pigeon", error.Message, StringComparison.Ordinal);
        await Database.DeleteAsync(config);
    }
}
