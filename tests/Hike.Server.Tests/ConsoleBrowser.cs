using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Text.Json;
using Hike.Testing;

namespace Hike.Server.Tests;

/// <summary>
/// A headless Chromium (<c>HIKE_TEST_CHROMIUM</c>, which <c>tests/servers.sh start</c> installs and
/// sets) driven through the Chrome DevTools Protocol over a WebSocket to its one page: navigate,
/// evaluate, type, press keys, take screenshots. Every wait is bounded; disposing kills the browser
/// and deletes its profile.
/// </summary>
internal sealed class ConsoleBrowser : IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private readonly Process _process;
    private readonly string _profile;
    private readonly ClientWebSocket _socket = new();
    private readonly ConcurrentDictionary<int, TaskCompletionSource<JsonElement>> _pending = new();
    private readonly ConcurrentQueue<string> _log = new();
    private readonly CancellationTokenSource _stop = new();
    private Task _receiving = Task.CompletedTask;
    private int _nextId;

    private ConsoleBrowser(Process process, string profile)
    {
        _process = process;
        _profile = profile;
    }

    /// <summary>Starts the browser with a window of <paramref name="width"/> by <paramref name="height"/> and connects to its page.</summary>
    public static async Task<ConsoleBrowser> LaunchAsync(int width, int height)
    {
        string executable = TestServers.Require("HIKE_TEST_CHROMIUM");
        string profile = Directory.CreateTempSubdirectory("hike-chromium-").FullName;
        var start = new ProcessStartInfo(executable)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[]
        {
            "--headless=new", "--no-sandbox", "--remote-debugging-port=0", $"--user-data-dir={profile}", $"--window-size={width},{height}",
            "--no-first-run", "--no-default-browser-check", "--disable-gpu", "--disable-extensions", "--hide-scrollbars", "about:blank",
        })
        {
            start.ArgumentList.Add(argument);
        }
        // Chromium's own temporary files (org.chromium.Chromium.*) go in the profile, which is deleted with it.
        start.Environment["TMPDIR"] = profile;
        var process = Process.Start(start) ?? throw new InvalidOperationException($"{executable} did not start");
        var browser = new ConsoleBrowser(process, profile);
        process.OutputDataReceived += (_, e) => browser.Log(e.Data);
        process.ErrorDataReceived += (_, e) => browser.Log(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await browser.ConnectAsync();
            return browser;
        }
        catch
        {
            await browser.DisposeAsync();
            throw;
        }
    }

    /// <summary>The browser's last lines of output, for a failure's message.</summary>
    public string Output => string.Join('\n', _log);

    private void Log(string? line)
    {
        if (line is null) return;
        _log.Enqueue(line);
        while (_log.Count > 40) _log.TryDequeue(out _);
    }

    /// <summary>Finds the debugging port in the profile's DevToolsActivePort file and opens a socket to the page.</summary>
    private async Task ConnectAsync()
    {
        string portFile = Path.Combine(_profile, "DevToolsActivePort");
        string? page = null;
        await Until(async () =>
        {
            if (_process.HasExited) throw new InvalidOperationException($"Chromium exited with {_process.ExitCode}:\n{Output}");
            if (!File.Exists(portFile) || (await File.ReadAllLinesAsync(portFile)) is not [var port, ..] || port.Length == 0) return false;
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            using var targets = JsonDocument.Parse(await http.GetStringAsync($"http://127.0.0.1:{port}/json/list"));
            page = targets.RootElement.EnumerateArray().Where(t => t.GetProperty("type").GetString() == "page")
                .Select(t => t.GetProperty("webSocketDebuggerUrl").GetString()).FirstOrDefault();
            return page is not null;
        }, "Chromium's DevTools page");
        using var timeout = new CancellationTokenSource(Patience);
        await _socket.ConnectAsync(new Uri(page!), timeout.Token);
        _receiving = Task.Run(ReceiveAsync);
    }

    private async Task ReceiveAsync()
    {
        var buffer = new byte[64 * 1024];
        var message = new MemoryStream();
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var result = await _socket.ReceiveAsync(buffer, _stop.Token);
                if (result.MessageType == WebSocketMessageType.Close) break;
                message.Write(buffer, 0, result.Count);
                if (!result.EndOfMessage) continue;
                using (var document = JsonDocument.Parse(message.ToArray()))
                {
                    // Events (no id) are not needed: the page's state is read by polling.
                    if (document.RootElement.TryGetProperty("id", out var id) && _pending.TryRemove(id.GetInt32(), out var waiting))
                    {
                        if (document.RootElement.TryGetProperty("error", out var error)) waiting.TrySetException(new InvalidOperationException($"DevTools: {error.GetRawText()}"));
                        else waiting.TrySetResult(document.RootElement.GetProperty("result").Clone());
                    }
                }
                message.SetLength(0);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException)
        {
            // The browser went away or is being disposed: the waiting calls fail below.
        }
        foreach (var waiting in _pending.Values) waiting.TrySetException(new InvalidOperationException($"The DevTools connection closed:\n{Output}"));
    }

    /// <summary>Sends a DevTools command and waits (bounded) for its result.</summary>
    public async Task<JsonElement> SendAsync(string method, object? parameters = null)
    {
        int id = Interlocked.Increment(ref _nextId);
        var answer = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = answer;
        byte[] command = JsonSerializer.SerializeToUtf8Bytes(new { id, method, @params = parameters ?? new { } });
        using var timeout = new CancellationTokenSource(Patience);
        await _socket.SendAsync(command, WebSocketMessageType.Text, true, timeout.Token);
        return await answer.Task.WaitAsync(Patience);
    }

    /// <summary>Loads <paramref name="url"/> and waits until the page and its scripts are loaded.</summary>
    public async Task NavigateAsync(string url)
    {
        await SendAsync("Page.navigate", new { url });
        await WaitForAsync($"location.href === {JsonSerializer.Serialize(url)} && document.readyState === 'complete'", $"{url} to load");
    }

    /// <summary>The value of a JavaScript expression in the page (awaited when it is a promise); its exception fails the call.</summary>
    public async Task<JsonElement> EvaluateAsync(string expression)
    {
        var result = await SendAsync("Runtime.evaluate", new { expression, awaitPromise = true, returnByValue = true });
        if (result.TryGetProperty("exceptionDetails", out var exception)) throw new InvalidOperationException($"{expression} threw {exception.GetRawText()}");
        return result.GetProperty("result").TryGetProperty("value", out var value) ? value.Clone() : default;
    }

    /// <summary>Waits until <paramref name="condition"/> holds in the page; a <see cref="TimeoutException"/> naming <paramref name="what"/> after the patience runs out.</summary>
    public Task WaitForAsync(string condition, string what) =>
        Until(async () => (await EvaluateAsync($"!!({condition})")).GetBoolean(), what);

    /// <summary>Focuses <paramref name="selector"/>'s element, selects its text and types <paramref name="text"/> over it, as a user would.</summary>
    public async Task TypeAsync(string selector, string text)
    {
        await EvaluateAsync($"(e => {{ e.focus(); e.select(); }})(document.querySelector({JsonSerializer.Serialize(selector)}))");
        await SendAsync("Input.insertText", new { text });
    }

    /// <summary>Presses Ctrl+Enter in the focused element.</summary>
    public async Task PressControlEnterAsync()
    {
        foreach (var type in new[] { "rawKeyDown", "keyUp" })
        {
            await SendAsync("Input.dispatchKeyEvent", new { type, modifiers = 2, key = "Enter", code = "Enter", windowsVirtualKeyCode = 13 });
        }
    }

    /// <summary>Clicks <paramref name="selector"/>'s element.</summary>
    public Task ClickAsync(string selector) => EvaluateAsync($"document.querySelector({JsonSerializer.Serialize(selector)}).click()");

    /// <summary>Clicks the mouse at the middle of <paramref name="selector"/>'s element, as a user would (what is drawn there gets the click).</summary>
    public async Task MouseClickAsync(string selector)
    {
        var middle = await EvaluateAsync($"(r => [r.x + r.width / 2, r.y + r.height / 2])(document.querySelector({JsonSerializer.Serialize(selector)}).getBoundingClientRect())");
        double x = middle[0].GetDouble(), y = middle[1].GetDouble();
        foreach (var type in new[] { "mousePressed", "mouseReleased" })
        {
            await SendAsync("Input.dispatchMouseEvent", new { type, x, y, button = "left", clickCount = 1 });
        }
    }

    /// <summary>The page as it is drawn, as PNG.</summary>
    public async Task<byte[]> ScreenshotAsync() =>
        Convert.FromBase64String((await SendAsync("Page.captureScreenshot", new { format = "png" })).GetProperty("data").GetString()!);

    private static async Task Until(Func<Task<bool>> done, string what)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                if (await done()) return;
            }
            catch (HttpRequestException) when (deadline.Elapsed < Patience)
            {
                // The DevTools endpoint is not listening yet.
            }
            if (deadline.Elapsed >= Patience) throw new TimeoutException($"Waited {Patience.TotalSeconds:F0} s for {what}");
            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _socket.Abort();
        _socket.Dispose();
        await _receiving.WaitAsync(Patience).ConfigureAwait(false);
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        using (var exited = new CancellationTokenSource(Patience)) await _process.WaitForExitAsync(exited.Token);
        _process.Dispose();
        _stop.Dispose();
        // Chromium's helpers may still be letting go of the profile for a moment after the kill.
        for (int attempt = 0; Directory.Exists(_profile); attempt++)
        {
            try
            {
                Directory.Delete(_profile, recursive: true);
            }
            catch (IOException) when (attempt < 20)
            {
                await Task.Delay(100);
            }
        }
    }
}
