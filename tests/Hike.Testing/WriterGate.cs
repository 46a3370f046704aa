using Hike.Api;
using Hike.Writing;

namespace Hike.Testing;

/// <summary>Holds a database's writer, so that everything submitted meanwhile queues behind it (and commits as one group).</summary>
public static class WriterGate
{
    /// <summary>Keeps <paramref name="conn"/>'s writer busy until the returned gate is set.</summary>
    public static ManualResetEventSlim Hold(Connection conn)
    {
        ArgumentNullException.ThrowIfNull(conn);
        var gate = new ManualResetEventSlim();
        var holding = new ManualResetEventSlim();
        _ = ((DatabaseRuntime)conn.Db.State.Origin!).Writer.RunAsync(() =>
        {
            holding.Set();
            gate.Wait();
            return true;
        });
        holding.Wait();
        return gate;
    }
}
