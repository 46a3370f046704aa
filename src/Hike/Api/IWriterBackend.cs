using Hike.Edn;
using Hike.Writing;

namespace Hike.Api;

/// <summary>A kind of remote writer (<c>:writer {:backend :datahike-server …}</c>): where a connection's writes go when not to this process.</summary>
internal interface IWriterBackend
{
    /// <summary>The <c>:backend</c> it serves, without the colon (<c>datahike-server</c>).</summary>
    string Kind { get; }

    /// <summary>
    /// The writer of a connection to <paramref name="config"/>'s database (whose store <paramref name="runtime"/>
    /// reads) that sends its writes as <paramref name="options"/> (the <c>:writer</c> map) say.
    /// </summary>
    IWriter Open(EdnMap options, DatabaseConfig config, DatabaseRuntime runtime);
}
