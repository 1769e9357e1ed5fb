// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ERC721} from "@openzeppelin/contracts/token/ERC721/ERC721.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {Address} from "@openzeppelin/contracts/utils/Address.sol";

/// @title SystemStaking (bucket NFTs), behaving like IoTeX SystemStaking V3
/// @notice Each bucket is an ERC-721 token holding native IOTX voting for a delegate. Times are in
///         seconds, durations whole days. A bucket starts locked; its duration only runs once unlocked;
///         after `duration` it can be unstaked, and after UNSTAKE_FREEZE_TIME more, withdrawn.
///         Every function IoTeX's SystemStaking3 has (except its native-staking migration) has the same
///         signature, outputs, events, custom errors and revert conditions here.
/// @dev Outpost extensions, marked as such below: the `slasher` (the restaking BucketStrategy) may slash
///      buckets it holds (`setSlasher`, `slash`, `Slashed`, `SlasherSet`), and `isLocked`.
///      A bucket is two storage slots: everything but the amount packs into one, so most actions touch
///      one bucket slot. The contract's balance always equals the sum of live bucket amounts.
contract SystemStaking is ERC721, Ownable, Pausable {
    // ─── IoTeX V3 constants ───────────────────────────────────────────────────

    /// @notice Marks a time not yet triggered (`unlockedAt` of a locked bucket, `unstakedAt` of a staked one).
    uint256 public constant UINT256_MAX = type(uint256).max;
    /// @notice Durations are whole multiples of this.
    uint256 public constant ONE_DAY = 1 days;
    /// @notice Longest allowed duration: 3 × 365 days.
    uint256 public constant MAX_DURATION = ONE_DAY * 365 * 3;
    /// @notice Time between unstake and withdraw.
    uint256 public constant UNSTAKE_FREEZE_TIME = 3 * ONE_DAY;
    /// @notice Smallest amount a bucket may be staked with (and the least a donation must leave in it).
    uint256 public immutable MIN_AMOUNT;

    uint40 private constant NOT_SET = type(uint40).max;

    // ─── IoTeX V3 errors (same names, same places) ────────────────────────────

    /// @notice Amount below MIN_AMOUNT, msg.value not matching a batch, or a donation out of range.
    error ErrInvalidAmount();
    /// @notice Duration not a whole number of days, above MAX_DURATION, or shorter than required.
    error ErrInvalidDuration();
    /// @notice Merge of fewer than two buckets, same delegate again, or donation without a beneficiary.
    error ErrInvalidParameter();
    /// @notice Declared by IoTeX's contract, never raised there either (a missing token reverts in ERC-721).
    error ErrInvalidBucket();
    /// @notice timeToWithdraw/withdraw of a bucket that was not unstaked.
    error ErrNotUnstakedBucket();
    /// @notice The caller does not own the bucket.
    error ErrNotOwner();
    /// @notice Unstake before the duration ran out, or withdraw before the freeze passed.
    error ErrNotReady();
    /// @notice unlock/expandBucket of a bucket that is not locked.
    error ErrNotLockedBucket();
    /// @notice The bucket was unstaked.
    error ErrNotStakedBucket();
    /// @notice Sending IOTX failed.
    error ErrTransferFailed();

    // ─── Outpost extension errors (slashing) ──────────────────────────────────

    /// @notice Only the slasher may slash.
    error NotSlasher(address caller);
    /// @notice The slasher may only slash buckets it holds.
    error NotBucketOwner(uint256 id, address caller);
    /// @notice Slash more than the bucket holds.
    error SlashTooLarge(uint256 id, uint256 amount, uint256 available);
    /// @notice The slash recipient is zero.
    error ZeroRecipient();

    /// @notice A bucket as IoTeX's `bucketOf` returns it.
    struct Bucket {
        uint256 amount;
        uint256 duration;
        uint256 unlockedAt; // UINT256_MAX while locked
        uint256 unstakedAt; // UINT256_MAX while staked
        address delegate;
    }

    /// @dev Storage form: slot 0 holds all but the amount (durations are whole days, at most 1,095).
    struct StoredBucket {
        address delegate;
        uint40 unlockedAt;
        uint40 unstakedAt;
        uint16 durationDays;
        uint256 amount;
    }

    /// @dev Packs with Ownable's owner and Pausable's flag: `stake` reads both in one slot.
    uint88 private _lastId;
    /// @notice Receives donations (`donate`); zero disables them.
    address payable public beneficiary;
    /// @notice Outpost extension: the contract allowed to slash the buckets it owns (restaking).
    address public slasher;
    mapping(uint256 => StoredBucket) private _buckets;

    event Staked(uint256 indexed id, address delegate, uint256 amount, uint256 duration);
    event Locked(uint256 indexed id, uint256 duration);
    event Unlocked(uint256 indexed id);
    event Unstaked(uint256 indexed id);
    event Merged(uint256[] ids, uint256 amount, uint256 duration);
    event BucketExpanded(uint256 indexed id, uint256 amount, uint256 duration);
    event DelegateChanged(uint256 indexed id, address newDelegate);
    event Withdrawal(uint256 indexed id, address indexed recipient);
    event Donated(uint256 indexed id, address indexed beneficiary, uint256 amount);
    event BeneficiaryChanged(address indexed beneficiary);
    /// @notice Outpost extension.
    event Slashed(uint256 indexed id, uint256 amount, address recipient);
    /// @notice Outpost extension.
    event SlasherSet(address slasher);

    constructor(address initialOwner, uint256 minAmount) ERC721("BucketNFTV3", "BKTV3") Ownable(initialOwner) {
        MIN_AMOUNT = minAmount;
    }

    // ─── admin ────────────────────────────────────────────────────────────────

    /// @notice Stops staking actions (owner only). Transfers, donations and slashing go on.
    function pause() external onlyOwner {
        _pause();
    }

    /// @notice Resumes staking actions (owner only).
    function unpause() external onlyOwner {
        _unpause();
    }

    /// @notice Sets who receives donations (owner only); zero disables `donate`.
    function setBeneficiary(address payable beneficiary_) external onlyOwner {
        beneficiary = beneficiary_;
        emit BeneficiaryChanged(beneficiary_);
    }

    // ─── staking ──────────────────────────────────────────────────────────────

    /// @notice Stakes msg.value for `duration` (whole days) voting for `delegate`; returns the bucket id.
    function stake(uint256 duration, address delegate) external payable whenNotPaused returns (uint256) {
        _checkAmount(msg.value);
        uint16 days_ = _checkDuration(duration);
        return _stake(msg.value, duration, days_, delegate);
    }

    /// @notice Stakes one bucket of `amount` per delegate; msg.value = amount × delegates.length.
    function stake(uint256 amount, uint256 duration, address[] calldata delegates)
        external
        payable
        whenNotPaused
        returns (uint256[] memory ids)
    {
        _checkAmount(amount);
        uint16 days_ = _checkDuration(duration);
        uint256 n = delegates.length;
        if (amount * n != msg.value) revert ErrInvalidAmount();
        ids = new uint256[](n);
        for (uint256 i = 0; i < n; ++i) ids[i] = _stake(amount, duration, days_, delegates[i]);
    }

    /// @notice Stakes `count` buckets of `amount` for one delegate; msg.value = amount × count.
    function stake(uint256 amount, uint256 duration, address delegate, uint256 count)
        external
        payable
        whenNotPaused
        returns (uint256[] memory ids)
    {
        _checkAmount(amount);
        uint16 days_ = _checkDuration(duration);
        if (amount * count != msg.value) revert ErrInvalidAmount();
        ids = new uint256[](count);
        for (uint256 i = 0; i < count; ++i) ids[i] = _stake(amount, duration, days_, delegate);
    }

    /// @notice Starts the bucket's duration.
    function unlock(uint256 id) external whenNotPaused {
        _unlock(id);
    }

    /// @notice Starts the duration of several buckets.
    function unlock(uint256[] calldata ids) external whenNotPaused {
        for (uint256 i = 0; i < ids.length; ++i) _unlock(ids[i]);
    }

    /// @notice Locks a staked bucket again, as IoTeX's V3 does: `duration` (whole days) must be at least
    ///         the time it still has to run; the bucket's stored duration is left as it is.
    function lock(uint256 id, uint256 duration) external whenNotPaused {
        _checkDuration(duration);
        _lock(id, duration);
    }

    /// @notice Locks several buckets again.
    function lock(uint256[] calldata ids, uint256 duration) external whenNotPaused {
        _checkDuration(duration);
        for (uint256 i = 0; i < ids.length; ++i) _lock(ids[i], duration);
    }

    /// @notice Unstakes a bucket whose duration has run out; starts the freeze.
    function unstake(uint256 id) external whenNotPaused {
        _unstake(id);
    }

    /// @notice Unstakes several buckets.
    function unstake(uint256[] calldata ids) external whenNotPaused {
        for (uint256 i = 0; i < ids.length; ++i) _unstake(ids[i]);
    }

    /// @notice Burns an unstaked bucket after the freeze and pays its amount to `recipient`.
    function withdraw(uint256 id, address payable recipient) external whenNotPaused {
        _withdraw(id, recipient);
    }

    /// @notice Withdraws several buckets to `recipient` (one payment per bucket).
    function withdraw(uint256[] calldata ids, address payable recipient) external whenNotPaused {
        for (uint256 i = 0; i < ids.length; ++i) _withdraw(ids[i], recipient);
    }

    /// @notice Merges two or more staked buckets (locked or not) into the first, adding msg.value. Each
    ///         must have no more than `newDuration` left to run; the result is locked for `newDuration`.
    function merge(uint256[] calldata ids, uint256 newDuration) external payable whenNotPaused {
        if (ids.length <= 1) revert ErrInvalidParameter();
        uint16 days_ = _checkDuration(newDuration);
        uint256 amount = msg.value;
        // Last to first, as IoTeX's contract does: a repeated id finds its bucket already burned.
        for (uint256 i = ids.length - 1; i > 0; --i) {
            uint256 id = ids[i];
            StoredBucket storage b = _staked(id);
            if (newDuration < _timeToUnstake(b.unlockedAt, b.durationDays)) revert ErrInvalidDuration();
            amount += b.amount;
            delete _buckets[id];
            _burn(id);
        }
        StoredBucket storage first = _staked(ids[0]);
        if (newDuration < _timeToUnstake(first.unlockedAt, first.durationDays)) revert ErrInvalidDuration();
        amount += first.amount;
        first.unlockedAt = NOT_SET;
        first.durationDays = days_;
        first.amount = amount;
        emit Merged(ids, amount, newDuration);
    }

    /// @notice Adds msg.value to a locked bucket and sets its duration to `newDuration` (no shorter).
    function expandBucket(uint256 id, uint256 newDuration) external payable whenNotPaused {
        StoredBucket storage b = _owned(id);
        uint16 days_ = _checkDuration(newDuration);
        if (b.unlockedAt != NOT_SET) revert ErrNotLockedBucket();
        if (days_ < b.durationDays) revert ErrInvalidDuration();
        uint256 amount = b.amount + msg.value;
        b.durationDays = days_;
        b.amount = amount;
        emit BucketExpanded(id, amount, newDuration);
    }

    /// @notice Moves the bucket's vote to `delegate`.
    function changeDelegate(uint256 id, address delegate) external whenNotPaused {
        _changeDelegate(id, delegate);
    }

    /// @notice Moves the vote of several buckets to `delegate`.
    function changeDelegates(uint256[] calldata ids, address delegate) external whenNotPaused {
        for (uint256 i = 0; i < ids.length; ++i) _changeDelegate(ids[i], delegate);
    }

    /// @notice Gives `amount` of a staked bucket to the beneficiary; at least MIN_AMOUNT must stay.
    function donate(uint256 id, uint256 amount) external {
        StoredBucket storage b = _owned(id);
        address payable to = beneficiary;
        if (to == address(0)) revert ErrInvalidParameter();
        if (b.unstakedAt != NOT_SET) revert ErrNotStakedBucket();
        uint256 held = b.amount;
        // Checked like IoTeX's: a bucket already below MIN_AMOUNT (slashed) panics with an underflow.
        if (held - MIN_AMOUNT < amount || amount == 0) revert ErrInvalidAmount();
        b.amount = held - amount;
        _send(to, amount);
        emit Donated(id, to, amount);
    }

    // ─── slashing (Outpost extension, restaking) ──────────────────────────────

    /// @notice Outpost extension: sets the contract allowed to slash buckets it owns (owner only).
    function setSlasher(address slasher_) external onlyOwner {
        slasher = slasher_;
        emit SlasherSet(slasher_);
    }

    /// @notice Outpost extension: takes `amount` from a bucket the slasher holds and pays it to
    ///         `recipient`. Works in any state of the bucket and while paused.
    function slash(uint256 id, uint256 amount, address payable recipient) external {
        if (msg.sender != slasher) revert NotSlasher(msg.sender);
        if (_requireOwned(id) != msg.sender) revert NotBucketOwner(id, msg.sender);
        if (recipient == address(0)) revert ZeroRecipient();
        StoredBucket storage b = _buckets[id];
        uint256 available = b.amount;
        if (amount > available) revert SlashTooLarge(id, amount, available);
        b.amount = available - amount;
        emit Slashed(id, amount, recipient);
        Address.sendValue(recipient, amount);
    }

    // ─── reads ────────────────────────────────────────────────────────────────

    /// @notice The bucket (reverts for a bucket that does not exist).
    function bucketOf(uint256 id) external view returns (Bucket memory) {
        _requireOwned(id);
        StoredBucket storage b = _buckets[id];
        return Bucket(b.amount, uint256(b.durationDays) * ONE_DAY, _full(b.unlockedAt), _full(b.unstakedAt), b.delegate);
    }

    /// @notice Seconds until a staked bucket can be unstaked: its whole duration while locked.
    ///         Reverts ErrNotStakedBucket once unstaked.
    function timeToUnstake(uint256 id) external view returns (uint256) {
        _requireOwned(id);
        StoredBucket storage b = _buckets[id];
        if (b.unstakedAt != NOT_SET) revert ErrNotStakedBucket();
        return _timeToUnstake(b.unlockedAt, b.durationDays);
    }

    /// @notice Seconds until an unstaked bucket can be withdrawn. Reverts ErrNotUnstakedBucket before unstake.
    function timeToWithdraw(uint256 id) external view returns (uint256) {
        _requireOwned(id);
        return _timeToWithdraw(_buckets[id].unstakedAt);
    }

    /// @notice Outpost extension: whether the bucket is locked (its duration not running).
    function isLocked(uint256 id) external view returns (bool) {
        _requireOwned(id);
        return _buckets[id].unlockedAt == NOT_SET;
    }

    // ─── internals ────────────────────────────────────────────────────────────

    function _checkAmount(uint256 amount) private view {
        if (amount < MIN_AMOUNT) revert ErrInvalidAmount();
    }

    /// @dev Whole days, at most MAX_DURATION; returns the duration in days.
    function _checkDuration(uint256 duration) private pure returns (uint16) {
        if (duration % ONE_DAY != 0 || duration > MAX_DURATION) revert ErrInvalidDuration();
        return uint16(duration / ONE_DAY);
    }

    function _stake(uint256 amount, uint256 duration, uint16 days_, address delegate) private returns (uint256 id) {
        id = ++_lastId;
        _buckets[id] = StoredBucket(delegate, NOT_SET, NOT_SET, days_, amount);
        _safeMint(msg.sender, id);
        emit Staked(id, delegate, amount, duration);
    }

    /// @dev The caller's bucket (a missing one reverts ERC721NonexistentToken, like IoTeX's `ownerOf`).
    function _owned(uint256 id) private view returns (StoredBucket storage b) {
        if (_requireOwned(id) != msg.sender) revert ErrNotOwner();
        b = _buckets[id];
    }

    /// @dev The caller's bucket, not unstaked.
    function _staked(uint256 id) private view returns (StoredBucket storage b) {
        b = _owned(id);
        if (b.unstakedAt != NOT_SET) revert ErrNotStakedBucket();
    }

    function _unlock(uint256 id) private {
        StoredBucket storage b = _owned(id);
        if (b.unlockedAt != NOT_SET) revert ErrNotLockedBucket();
        b.unlockedAt = uint40(block.timestamp);
        emit Unlocked(id);
    }

    function _lock(uint256 id, uint256 duration) private {
        StoredBucket storage b = _staked(id);
        if (duration < _timeToUnstake(b.unlockedAt, b.durationDays)) revert ErrInvalidDuration();
        b.unlockedAt = NOT_SET;
        emit Locked(id, duration);
    }

    function _unstake(uint256 id) private {
        StoredBucket storage b = _staked(id);
        if (_timeToUnstake(b.unlockedAt, b.durationDays) != 0) revert ErrNotReady();
        uint40 now_ = uint40(block.timestamp);
        b.unlockedAt = now_;
        b.unstakedAt = now_;
        emit Unstaked(id);
    }

    function _withdraw(uint256 id, address payable recipient) private {
        StoredBucket storage b = _owned(id);
        if (_timeToWithdraw(b.unstakedAt) != 0) revert ErrNotReady();
        uint256 amount = b.amount;
        delete _buckets[id];
        _burn(id);
        _send(recipient, amount);
        emit Withdrawal(id, recipient);
    }

    function _changeDelegate(uint256 id, address delegate) private {
        StoredBucket storage b = _staked(id);
        if (b.delegate == delegate) revert ErrInvalidParameter();
        b.delegate = delegate;
        emit DelegateChanged(id, delegate);
    }

    function _timeToUnstake(uint40 unlockedAt, uint16 durationDays) private view returns (uint256) {
        uint256 duration = uint256(durationDays) * ONE_DAY;
        if (unlockedAt == NOT_SET) return duration;
        uint256 at = uint256(unlockedAt) + duration;
        return at > block.timestamp ? at - block.timestamp : 0;
    }

    function _timeToWithdraw(uint40 unstakedAt) private view returns (uint256) {
        if (unstakedAt == NOT_SET) revert ErrNotUnstakedBucket();
        uint256 at = uint256(unstakedAt) + UNSTAKE_FREEZE_TIME;
        return at > block.timestamp ? at - block.timestamp : 0;
    }

    function _send(address payable to, uint256 amount) private {
        (bool ok,) = to.call{value: amount}("");
        if (!ok) revert ErrTransferFailed();
    }

    function _full(uint40 value) private pure returns (uint256) {
        return value == NOT_SET ? UINT256_MAX : value;
    }
}
