using Hike.Server.Handles;
using Hike.Server.Routes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Hike.Server;

/// <summary>
/// Hike's HTTP server: Datahike's API as routes, one per function (<c>/connect</c>, <c>/transact</c>,
/// <c>/q</c>, …), each taking the function's arguments as a JSON array in Datahike's tagged JSON.
/// <see cref="MapHike"/> adds the routes to an application of the user's; <see cref="StartAsync"/>
/// runs a server of its own (what <c>hike serve</c> does).
/// </summary>
public static class HikeServer
{
    /// <summary>Adds Hike's routes to <paramref name="endpoints"/>; the connections they open are released when the application stops.</summary>
    public static IEndpointRouteBuilder MapHike(this IEndpointRouteBuilder endpoints, ServerConfig config)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(config);
        var connections = new ServerConnections();
        endpoints.ServiceProvider.GetService<IHostApplicationLifetime>()?.ApplicationStopped.Register(connections.Dispose);
        connections.OpenServers(config.Databases);
        var logger = endpoints.ServiceProvider.GetService<ILoggerFactory>()?.CreateLogger("Hike.Server") ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
        var gate = new ServerGate(config);
        var handler = new RequestHandler(config, connections, gate, logger);
        foreach (var route in ApiRoutes.All.Values)
        {
            endpoints.MapMethods("/" + route.Name, route.Pure ? [HttpMethods.Get, HttpMethods.Post] : [HttpMethods.Post], http => handler.HandleAsync(http, route));
            endpoints.MapMethods("/" + route.Name, [HttpMethods.Options], http => handler.PreflightAsync(http, route));
        }
        var feed = new ChangeFeed(config, connections, gate, new Formats.WireValues(connections));
        endpoints.MapGet("/listen", feed.ListenAsync);
        var store = new StoreRoutes(connections, gate);
        endpoints.MapGet("/store/get", store.GetAsync);
        endpoints.MapGet("/store/size", store.SizeAsync);
        endpoints.MapGet("/store/list", store.ListAsync);
        endpoints.MapGet("/health/live", () => Results.Text("ok"));
        endpoints.MapGet("/health/ready", () => Results.Text("ok"));
        endpoints.MapGet("/version", () => Results.Text(Edn.EdnPrinter.Print(Edn.EdnMap.Of(Edn.Keyword.Intern("hike"), Version())), "application/edn"));
        if (config.Prometheus)
        {
            var prometheus = new PrometheusEndpoint(gate);
            endpoints.ServiceProvider.GetService<IHostApplicationLifetime>()?.ApplicationStopped.Register(prometheus.Dispose);
            endpoints.MapGet("/prometheus", prometheus.AnswerAsync);
        }
        endpoints.MapGet("/openapi.json", () => Results.Bytes(OpenApiDocument.Write(Version()), "application/json"));
        if (config.Console) Console.ConsolePage.Map(endpoints);
        return endpoints;
    }

    /// <summary>Starts a server as <paramref name="config"/> says (refusing one that would be open to the network); stop it by disposing it.</summary>
    public static async Task<WebApplication> StartAsync(ServerConfig config, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.CheckExposure();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseUrls($"http://{(config.Host.Contains(':', StringComparison.Ordinal) && !config.Host.StartsWith('[') ? $"[{config.Host}]" : config.Host)}:{config.Port}");
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = config.MaxBodyBytes + 1);
        var app = builder.Build();
        app.MapHike(config);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        return app;
    }

    /// <summary>The version of the engine serving (without its source revision).</summary>
    private static string Version() =>
        (typeof(Api.Database).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false)
            .OfType<System.Reflection.AssemblyInformationalVersionAttribute>().FirstOrDefault()?.InformationalVersion ?? "unknown").Split('+')[0];
}
