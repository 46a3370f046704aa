namespace Hike.Versioning;

/// <summary>Why a three-way merge cannot take both sides' changes of one attribute of one entity.</summary>
public enum MergeConflictKind
{
    /// <summary>Both sides changed a cardinality-one attribute, to different values.</summary>
    ValueChanged,

    /// <summary>Both sides gave a unique value to different entities.</summary>
    UniqueClaimed,

    /// <summary>One side retracted the attribute (or its whole entity) and the other changed it.</summary>
    RetractedAndChanged,
}
