using TaobaoAlliance.Attribution.Sites;

namespace TaobaoAlliance.Attribution.Tests.Sites;

public sealed class SiteReviewRulesTests
{
    [Theory]
    [InlineData(SiteDecision.Approve, SiteState.Pending, true, SiteState.Approved)]
    [InlineData(SiteDecision.Approve, SiteState.Rejected, true, SiteState.Approved)]
    [InlineData(SiteDecision.Approve, SiteState.Suspended, false, SiteState.Approved)]
    [InlineData(SiteDecision.Reject, SiteState.Pending, false, SiteState.Rejected)]
    [InlineData(SiteDecision.Reject, SiteState.Pending, true, SiteState.Rejected)]
    [InlineData(SiteDecision.Suspend, SiteState.Approved, true, SiteState.Suspended)]
    public void Allowed_decisions_lead_to_their_state(SiteDecision decision, SiteState from, bool verified, SiteState expected) =>
        SiteReviewRules.Target(decision, from, verified).Should().Be(expected);

    [Theory]
    [InlineData(SiteDecision.Approve, SiteState.Pending, false)] // ownership not proved yet
    [InlineData(SiteDecision.Approve, SiteState.Rejected, false)]
    [InlineData(SiteDecision.Approve, SiteState.Approved, true)]
    [InlineData(SiteDecision.Reject, SiteState.Approved, true)]
    [InlineData(SiteDecision.Reject, SiteState.Rejected, true)]
    [InlineData(SiteDecision.Reject, SiteState.Suspended, true)]
    [InlineData(SiteDecision.Suspend, SiteState.Pending, true)]
    [InlineData(SiteDecision.Suspend, SiteState.Rejected, true)]
    [InlineData(SiteDecision.Suspend, SiteState.Suspended, true)]
    public void Other_decisions_are_not_allowed(SiteDecision decision, SiteState from, bool verified) =>
        SiteReviewRules.Target(decision, from, verified).Should().BeNull();

    [Fact]
    public void Rejecting_and_suspending_need_a_reason_and_approving_does_not()
    {
        SiteReviewRules.NeedsReason(SiteDecision.Approve).Should().BeFalse();
        SiteReviewRules.NeedsReason(SiteDecision.Reject).Should().BeTrue();
        SiteReviewRules.NeedsReason(SiteDecision.Suspend).Should().BeTrue();
    }
}
