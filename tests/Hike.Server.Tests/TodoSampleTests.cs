using System.Net;
using System.Net.Http.Json;
using Hike.Testing;
using Hike.Todo;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Hike.Server.Tests;

/// <summary>samples/Hike.Todo, the ASP.NET Core minimal API with Hike as its database, driven over HTTP.</summary>
public sealed class TodoSampleTests
{
    [Fact]
    public async Task The_todo_api_adds_lists_completes_travels_in_time_and_deletes_and_keeps_it_across_restarts()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(Path.Combine(dir.Path, "todo.edn"), "{:store {:backend :file :path \"todo-db\"} :keep-history? true}");
        string[] args = [$"--Hike:Config={Path.Combine(dir.Path, "todo.edn")}", "--urls=http://127.0.0.1:0", "--Logging:LogLevel:Default=Warning"];

        long milk, bread, afterMilk;
        await using (var app = await StartAsync(args))
        {
            using var http = Client(app);
            Assert.Empty((await http.GetFromJsonAsync<TodoItem[]>("/todos"))!);

            var added = await http.PostAsJsonAsync("/todos", new NewTodo(" Buy milk ", ["shop"]));
            Assert.Equal(HttpStatusCode.Created, added.StatusCode);
            var created = (await added.Content.ReadFromJsonAsync<TodoItem>())!;
            milk = created.Id;
            Assert.Equal($"/todos/{milk}", added.Headers.Location?.OriginalString);
            Assert.Equal($"{milk} Buy milk False shop", Show(created));
            afterMilk = (await http.GetFromJsonAsync<DoneChange[]>($"/todos/{milk}/history"))!.Single().Tx;

            bread = (await (await http.PostAsJsonAsync("/todos", new NewTodo("Bake bread", null))).Content.ReadFromJsonAsync<TodoItem>())!.Id;
            Assert.Equal(HttpStatusCode.BadRequest, (await http.PostAsJsonAsync("/todos", new NewTodo("  ", null))).StatusCode);

            var done = (await (await http.PutAsync($"/todos/{milk}/done", null)).Content.ReadFromJsonAsync<TodoItem>())!;
            Assert.True(done.Done);
            Assert.Equal(HttpStatusCode.NotFound, (await http.PutAsync("/todos/999999/done", null)).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/todos/999999")).StatusCode);

            // Now both, Milk done; as of Milk's transaction only Milk, not done yet.
            Assert.Equal([$"{milk} Buy milk True shop", $"{bread} Bake bread False "], (await http.GetFromJsonAsync<TodoItem[]>("/todos"))!.Select(Show));
            Assert.Equal([$"{milk} Buy milk False shop"], (await http.GetFromJsonAsync<TodoItem[]>($"/todos?asOf={afterMilk}"))!.Select(Show));

            // The history: asserted false, then true asserted and false retracted in one transaction.
            var history = (await http.GetFromJsonAsync<DoneChange[]>($"/todos/{milk}/history"))!;
            Assert.Equal(["False True", "False False", "True True"], history.Select(h => $"{h.Done} {h.Added}"));
            Assert.Equal(afterMilk, history[0].Tx);
            Assert.True(history[1].Tx == history[2].Tx && history[2].Tx > afterMilk);

            Assert.Equal(HttpStatusCode.NoContent, (await http.DeleteAsync($"/todos/{bread}")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync($"/todos/{bread}")).StatusCode);
        }

        // A new process over the same store: the data, and the schema's norm is not applied twice.
        await using (var app = await StartAsync(args))
        {
            using var http = Client(app);
            Assert.Equal([$"{milk} Buy milk True shop"], (await http.GetFromJsonAsync<TodoItem[]>("/todos"))!.Select(Show));
            var conn = app.Services.GetRequiredService<Hike.Api.Connection>();
            Assert.Equal(1L, conn.Db.QValue<long>("[:find (count ?n) . :where [_ :tx/norm ?n]]"));
        }
        Assert.True(Directory.Exists(Path.Combine(dir.Path, "todo-db")));
    }

    private static string Show(TodoItem t) => $"{t.Id} {t.Title} {t.Done} {string.Join(',', t.Tags ?? [])}";

    private static async Task<WebApplication> StartAsync(string[] args)
    {
        var app = await TodoApp.BuildAsync(args);
        await app.StartAsync();
        return app;
    }

    private static HttpClient Client(WebApplication app) =>
        new() { BaseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single()) };
}
