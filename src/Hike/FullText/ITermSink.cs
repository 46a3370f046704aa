namespace Hike.FullText;

/// <summary>Receives the terms of an analyzed text in order (<see cref="FullTextAnalyzers.Analyze"/>).</summary>
internal interface ITermSink
{
    /// <summary>One token: its term (valid only during the call) and its position in the text.</summary>
    void Add(ReadOnlySpan<char> term, int position);
}
