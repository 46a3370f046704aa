using System.Reflection;
using System.Text.RegularExpressions;
using Hike.Api;
using Hike.Edn;
using Hike.Versioning;

namespace Hike.Testing;

/// <summary>
/// Reads a class of error-code constants (the engine's <c>ErrorCodes</c>, the CLI's <c>CliErrorCodes</c>)
/// and runs a class of error factories, for the tests that keep codes in one place.
/// </summary>
public static partial class ErrorCodeConstants
{
    /// <summary>The shape of every code: a namespace and a name, each lower-case words joined by hyphens.</summary>
    [GeneratedRegex("^[a-z]+(-[a-z]+)*/[a-z]+(-[a-z]+)*$")]
    public static partial Regex Shape();

    /// <summary>The <c>const string</c> fields of <paramref name="constants"/>: name → code.</summary>
    public static IReadOnlyDictionary<string, string> Of(Type constants)
    {
        ArgumentNullException.ThrowIfNull(constants);
        return constants.GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(string))
            .ToDictionary(f => f.Name, f => (string)f.GetRawConstantValue()!);
    }

    /// <summary>The name a code's constant has: its words capitalised and joined, <c>transact/attr-pred</c> → <c>TransactAttrPred</c>.</summary>
    public static string NameFor(string code)
    {
        ArgumentNullException.ThrowIfNull(code);
        return string.Concat(code.Split('/', '-').Select(w => w.Length == 0 ? "" : char.ToUpperInvariant(w[0]) + w[1..]));
    }

    /// <summary>
    /// Calls every static method of <paramref name="factories"/> that returns a <see cref="HikeException"/>,
    /// with a made-up argument for each parameter (<paramref name="code"/> for a parameter named
    /// <c>code</c>), and returns method name → the code of what it built. A parameter of a type it cannot
    /// make up throws, so a new factory shape is noticed.
    /// </summary>
    public static IReadOnlyDictionary<string, string> FactoryCodes(Type factories, string code)
    {
        ArgumentNullException.ThrowIfNull(factories);
        var built = new Dictionary<string, string>();
        foreach (var method in factories.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static))
        {
            if (!typeof(HikeException).IsAssignableFrom(method.ReturnType)) continue;
            var args = method.GetParameters().Select(p => p.Name == "code" ? code : Sample(p.ParameterType, method.Name)).ToArray();
            built.Add(method.Name, ((HikeException)method.Invoke(null, args)!).Code);
        }
        return built;
    }

    private static object? Sample(Type type, string method) => type switch
    {
        _ when type == typeof(string) || type == typeof(object) => "x",
        _ when type == typeof(int) || type == typeof(int?) => 1,
        _ when type == typeof(IReadOnlyList<string>) => new[] { "x" },
        _ when type == typeof(long) => 1L,
        _ when type == typeof(Guid) => Guid.Empty,
        _ when type == typeof(Guid?) => null,
        _ when type == typeof(TimeSpan) => TimeSpan.FromSeconds(1),
        _ when type == typeof(Keyword) => Keyword.Intern("a/b"),
        _ when type == typeof(IEnumerable<Symbol>) => new[] { Symbol.Intern("?x") },
        _ when type == typeof(HikeException) => new HikeException(ErrorCodes.TransactSyntax, "cause"),
        _ when type == typeof(Exception) => new InvalidOperationException("cause"),
        _ when type == typeof(IReadOnlyList<MergeConflict>) => new[] { new MergeConflict(MergeConflictKind.ValueChanged, 1, Keyword.Intern("a/b"), 0L, 1L, 2L) },
        _ => throw new NotSupportedException($"{method} takes a {type}; teach {nameof(ErrorCodeConstants)} a sample of it"),
    };
}
