using Hike.Api;
using Hike.Edn;

namespace Hike.Todo;

/// <summary>A to-do item as the API returns it.</summary>
public sealed record TodoItem(long Id, string Title, bool Done, string[]? Tags);

/// <summary>What a client sends to add a to-do item.</summary>
public sealed record NewTodo(string? Title, string[]? Tags);

/// <summary>One change of an item's <c>:todo/done</c>, from the database's history.</summary>
public sealed record DoneChange(long Tx, DateTime At, bool Done, bool Added);

/// <summary>
/// The application: one Hike connection for the process (a singleton the host disposes), the schema
/// kept by the norms in <c>migrations/</c>, and the endpoints. Reads take the connection's current
/// database value, which stays consistent for the whole request however many writes land meanwhile.
/// </summary>
public static class TodoApp
{
    private const string Pattern = "[:db/id :todo/title :todo/done :todo/tags]";

    /// <summary>The application over the database the setting <c>Hike:Config</c> names (a config file), or the default one.</summary>
    public static async Task<WebApplication> BuildAsync(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        var config = Config(builder.Configuration["Hike:Config"]);
        var connection = await OpenAsync(config, Path.Combine(AppContext.BaseDirectory, "migrations")).ConfigureAwait(false);
        builder.Services.AddSingleton(connection);
        builder.Services.AddProblemDetails();
        var app = builder.Build();
        app.UseExceptionHandler();
        Map(app);
        return app;
    }

    /// <summary>The database's config: the file given, else a file store under the user's local application data.</summary>
    private static DatabaseConfig Config(string? file) => file is not null
        ? DatabaseConfig.Load(file)
        : new DatabaseConfig { Store = StoreConfig.File(Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "hike-todo")) };

    /// <summary>Connects (creating the database the first time) and applies the norms not applied yet.</summary>
    private static async Task<Connection> OpenAsync(DatabaseConfig config, string migrations)
    {
        if (!await Database.ExistsAsync(config).ConfigureAwait(false)) await Database.CreateAsync(config).ConfigureAwait(false);
        var connection = await Database.ConnectAsync(config).ConfigureAwait(false);
        await Norms.EnsureNormsAsync(connection, migrations).ConfigureAwait(false);
        return connection;
    }

    private static void Map(WebApplication app)
    {
        var todos = app.MapGroup("/todos");

        // ?asOf=TX answers as the database was right after that transaction.
        todos.MapGet("/", (Connection conn, long? asOf) =>
        {
            var db = asOf is { } tx ? conn.Db.AsOf(tx) : conn.Db;
            return db.Q<TodoItem>($"[:find [(pull ?e {Pattern}) ...] :where [?e :todo/title]]").OrderBy(t => t.Id);
        });

        todos.MapGet("/{id:long}", (Connection conn, long id) =>
            Find(conn.Db, id) is { } todo ? Results.Ok(todo) : Results.NotFound());

        todos.MapPost("/", async (Connection conn, NewTodo draft, CancellationToken cancel) =>
        {
            if (string.IsNullOrWhiteSpace(draft.Title)) return Results.ValidationProblem(new Dictionary<string, string[]> { ["title"] = ["A to-do item needs a title."] });
            var item = new Dictionary<string, object?> { [":db/id"] = "new", [":todo/title"] = draft.Title.Trim(), [":todo/done"] = false };
            if (draft.Tags is { Length: > 0 } tags) item[":todo/tags"] = tags;
            var report = await conn.TransactAsync(new[] { item }, cancellationToken: cancel).ConfigureAwait(false);
            long id = report.TempIds["new"];
            return Results.Created($"/todos/{id}", Find(report.DbAfter, id));
        });

        todos.MapPut("/{id:long}/done", (Connection conn, long id, CancellationToken cancel) => SetDone(conn, id, true, cancel));
        todos.MapDelete("/{id:long}/done", (Connection conn, long id, CancellationToken cancel) => SetDone(conn, id, false, cancel));

        todos.MapDelete("/{id:long}", async (Connection conn, long id, CancellationToken cancel) =>
        {
            if (Find(conn.Db, id) is null) return Results.NotFound();
            await conn.TransactAsync(EdnVector.Create(EdnVector.Create(Keyword.Intern("db/retractEntity"), id)), cancellationToken: cancel).ConfigureAwait(false);
            return Results.NoContent();
        });

        // Every assertion and retraction of :todo/done, with its transaction's instant: the item's story.
        todos.MapGet("/{id:long}/history", (Connection conn, long id) =>
            conn.Db.History().Q<DoneChange>(
                "[:find ?tx ?at ?done ?added :in $ ?e :where [?e :todo/done ?done ?tx ?added] [?tx :db/txInstant ?at]]", id)
                .OrderBy(c => c.Tx).ThenBy(c => c.Added));
    }

    private static async Task<IResult> SetDone(Connection conn, long id, bool done, CancellationToken cancel)
    {
        if (Find(conn.Db, id) is null) return Results.NotFound();
        var report = await conn.TransactAsync(EdnVector.Create(EdnVector.Create(Keyword.Intern("db/add"), id, Keyword.Intern("todo/done"), done)), cancellationToken: cancel).ConfigureAwait(false);
        return Results.Ok(Find(report.DbAfter, id));
    }

    /// <summary>The item with id <paramref name="id"/> in <paramref name="db"/>, or null when there is none (or it is not a to-do item).</summary>
    private static TodoItem? Find(Database db, long id) =>
        db.QValue<TodoItem>($"[:find (pull ?e {Pattern}) . :in $ ?e :where [?e :todo/title]]", id);
}
