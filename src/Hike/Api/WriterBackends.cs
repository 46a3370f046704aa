using System.Collections.Concurrent;
using System.Reflection;
using Hike.Edn;
using Hike.Writing;

namespace Hike.Api;

/// <summary>
/// The remote writers a connection's <c>:writer</c> (or <c>:remote-peer</c>) may name, by <c>:backend</c>:
/// <c>:datahike-server</c> from <c>Hike.Server</c>, loaded when a config first names it.
/// </summary>
internal static class WriterBackends
{
    private static readonly ConcurrentDictionary<string, string> Assemblies = new(StringComparer.Ordinal)
    {
        ["datahike-server"] = "Hike.Server",
    };

    private static readonly ConcurrentDictionary<string, IWriterBackend> Registered = new(StringComparer.Ordinal);

    /// <summary>The writer the <c>:writer</c> map <paramref name="options"/> names, for a connection to <paramref name="config"/>'s database.</summary>
    public static IWriter Open(EdnMap options, DatabaseConfig config, DatabaseRuntime runtime)
    {
        var kind = (options.Get(Keyword.Intern("backend")) as Keyword)?.FullName ?? "";
        return Find(kind).Open(options, config, runtime);
    }

    /// <summary>The server the <c>:remote-peer</c> map <paramref name="options"/> names.</summary>
    public static IRemotePeerBackend Peer(EdnMap options)
    {
        var kind = (options.Get(Keyword.Intern("backend")) as Keyword)?.FullName ?? "";
        return Find(kind) as IRemotePeerBackend ?? throw Errors.Config($":remote-peer :backend :{kind} cannot serve a remote peer; :datahike-server can");
    }

    private static IWriterBackend Find(string kind)
    {
        if (Registered.TryGetValue(kind, out var backend)) return backend;
        if (!Assemblies.TryGetValue(kind, out var assemblyName)) throw Errors.Config($"Unknown :writer :backend :{kind}; Hike has :self and :datahike-server");
        foreach (var named in BackendAssemblies.Load(assemblyName, $":writer :{kind}").GetCustomAttributes<WriterBackendAttribute>())
        {
            var provided = (IWriterBackend)Activator.CreateInstance(named.Backend, nonPublic: true)!;
            Registered.TryAdd(provided.Kind, provided);
        }
        return Registered.TryGetValue(kind, out backend) ? backend : throw Errors.Config($"{assemblyName} provides no :writer :{kind}");
    }
}
