namespace Hike.Pull;

/// <summary>
/// A step of the pull evaluator's explicit stack. Pulls are evaluated without recursion on the
/// call stack so that arbitrarily deep recursive patterns (<c>{:friend ...}</c> over a long chain)
/// cannot overflow it.
/// </summary>
internal abstract class PullFrame
{
}
