using Hike.Edn;

namespace Hike.Tests.Edn;

/// <summary>Assertions shared by the EDN tests.</summary>
internal static class EdnAssert
{
    /// <summary>Reading <paramref name="text"/> fails with an <c>edn/syntax</c> error; returns it.</summary>
    public static EdnSyntaxException SyntaxError(string text)
    {
        var e = Assert.Throws<EdnSyntaxException>(() => EdnReader.Read(text));
        Assert.Equal("edn/syntax", e.Code);
        Assert.IsAssignableFrom<HikeException>(e);
        Assert.True(e.Line >= 1 && e.Column >= 1, $"position {e.Line}:{e.Column}");
        return e;
    }

    /// <summary>Reading fails with a message containing <paramref name="fragment"/> at the given position.</summary>
    public static EdnSyntaxException SyntaxError(string text, string fragment, int line, int column)
    {
        var e = SyntaxError(text);
        Assert.Contains(fragment, e.Message, StringComparison.Ordinal);
        Assert.Equal((line, column), (e.Line, e.Column));
        return e;
    }

    /// <summary>The two values are equal under <see cref="ValueEquality"/>, printed on failure.</summary>
    public static void ValueEqual(object? expected, object? actual)
    {
        Assert.True(
            ValueEquality.Instance.Equals(expected, actual),
            $"expected {EdnPrinter.Print(expected)} but got {EdnPrinter.Print(actual)}");
    }

    /// <summary>Reads <paramref name="text"/> and checks the value and its exact type.</summary>
    public static void Reads<T>(T expected, string text)
    {
        var value = EdnReader.Read(text);
        Assert.IsType<T>(value);
        Assert.Equal(expected, (T)value!);
    }
}
