using Hike.Todo;

// A to-do list over HTTP with Hike as its database. The database lives where the setting Hike:Config
// points (a Datahike config file), else in a file store under the user's local application data.
await using var app = await TodoApp.BuildAsync(args);
await app.RunAsync();
