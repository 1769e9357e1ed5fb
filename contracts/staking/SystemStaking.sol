// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ERC721} from "@openzeppelin/contracts/token/ERC721/ERC721.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {Address} from "@openzeppelin/contracts/utils/Address.sol";

/// @title SystemStaking (bucket NFTs), compatible with IoTeX SystemStaking V3
/// @notice Each bucket is an ERC-721 token holding native IOTX voting for a delegate. Times are in
///         seconds. A bucket starts locked; its duration only runs once unlocked; after `duration`
///         it can be unstaked, and after UNSTAKE_FREEZE_TIME more, withdrawn.
/// @dev A bucket is two storage slots. The contract's balance always equals the sum of live bucket
///      amounts. The `slasher` (the restaking BucketStrategy) may slash buckets it holds.
contract SystemStaking is ERC721, Ownable {
    /// @notice Time between unstake and withdraw.
    uint256 public constant UNSTAKE_FREEZE_TIME = 3 days;
    /// @notice Longest allowed duration.
    uint256 public constant MAX_DURATION = 1098 days;
    uint64 private constant NOT_SET = type(uint64).max;

    /// @notice The bucket amount is below the minimum.
    error AmountTooSmall(uint256 amount, uint256 minimum);
    /// @notice The duration is above MAX_DURATION.
    error DurationTooLong(uint256 duration);
    /// @notice msg.value does not match the amounts staked.
    error WrongValue(uint256 expected, uint256 paid);
    /// @notice The delegate must not be zero.
    error ZeroDelegate();
    /// @notice The list of buckets or delegates is empty.
    error EmptyList();
    /// @notice The caller does not own the bucket.
    error NotBucketOwner(uint256 id, address caller);
    /// @notice The bucket is already unlocked.
    error BucketUnlocked(uint256 id);
    /// @notice The bucket is locked.
    error BucketLocked(uint256 id);
    /// @notice The bucket was unstaked.
    error BucketUnstaked(uint256 id);
    /// @notice The bucket was not unstaked yet.
    error BucketNotUnstaked(uint256 id);
    /// @notice The duration has not run out since unlock.
    error UnstakeTooEarly(uint256 id, uint256 unstakableAt);
    /// @notice The unstake freeze has not passed.
    error WithdrawTooEarly(uint256 id, uint256 withdrawableAt);
    /// @notice A new duration may not shorten the bucket.
    error DurationTooShort(uint256 id, uint256 duration, uint256 minimum);
    /// @notice The bucket already votes for this delegate.
    error SameDelegate(uint256 id);
    /// @notice A bucket appears twice in a merge.
    error DuplicateBucket(uint256 id);
    /// @notice Only the slasher may slash.
    error NotSlasher(address caller);
    /// @notice Slash more than the bucket holds.
    error SlashTooLarge(uint256 id, uint256 amount, uint256 available);
    /// @notice The recipient is zero.
    error ZeroRecipient();

    struct Bucket {
        address delegate; // slot 0
        uint96 amount;
        uint64 duration; // slot 1
        uint64 unlockedAt;
        uint64 unstakedAt;
    }

    /// @notice Smallest amount a bucket may hold.
    uint256 public immutable minAmount;
    /// @notice The contract allowed to slash the buckets it owns (restaking).
    address public slasher;
    uint256 private _lastId;
    mapping(uint256 => Bucket) private _buckets;

    event Staked(uint256 indexed id, address delegate, uint256 amount, uint256 duration);
    event Locked(uint256 indexed id, uint256 duration);
    event Unlocked(uint256 indexed id);
    event Unstaked(uint256 indexed id);
    event Merged(uint256[] ids, uint256 amount, uint256 duration);
    event BucketExpanded(uint256 indexed id, uint256 amount, uint256 duration);
    event DelegateChanged(uint256 indexed id, address newDelegate);
    event Withdrawal(uint256 indexed id, address indexed recipient);
    event Slashed(uint256 indexed id, uint256 amount, address recipient);
    event SlasherSet(address slasher);

    constructor(address initialOwner, uint256 minAmount_) ERC721("BucketNFT", "BKT") Ownable(initialOwner) {
        minAmount = minAmount_;
    }

    // ─── staking ──────────────────────────────────────────────────────────────

    /// @notice Stakes msg.value for `duration` seconds voting for `delegate`; returns the bucket id.
    function stake(uint256 duration, address delegate) external payable returns (uint256) {
        _checkStake(msg.value, duration);
        return _mintBucket(msg.sender, msg.value, duration, delegate);
    }

    /// @notice Stakes one bucket of `amount` per delegate; msg.value = amount * delegates.length.
    function stake(uint256 amount, uint256 duration, address[] calldata delegates)
        external
        payable
        returns (uint256 firstTokenId)
    {
        uint256 n = delegates.length;
        if (n == 0) revert EmptyList();
        if (msg.value != amount * n) revert WrongValue(amount * n, msg.value);
        _checkStake(amount, duration);
        firstTokenId = _mintBucket(msg.sender, amount, duration, delegates[0]);
        for (uint256 i = 1; i < n; ++i) _mintBucket(msg.sender, amount, duration, delegates[i]);
    }

    /// @notice Stakes `count` buckets of `amount` for one delegate; msg.value = amount * count.
    function stake(uint256 amount, uint256 duration, address delegate, uint256 count)
        external
        payable
        returns (uint256 firstTokenId)
    {
        if (count == 0) revert EmptyList();
        if (msg.value != amount * count) revert WrongValue(amount * count, msg.value);
        _checkStake(amount, duration);
        firstTokenId = _mintBucket(msg.sender, amount, duration, delegate);
        for (uint256 i = 1; i < count; ++i) _mintBucket(msg.sender, amount, duration, delegate);
    }

    /// @notice Starts the bucket's duration.
    function unlock(uint256 id) external {
        _unlock(id);
    }

    /// @notice Starts the duration of several buckets.
    function unlock(uint256[] calldata ids) external {
        for (uint256 i = 0; i < ids.length; ++i) _unlock(ids[i]);
    }

    /// @notice Re-locks a bucket for `duration` (at least the time it still had to run).
    function lock(uint256 id, uint256 duration) external {
        _lock(id, duration);
    }

    /// @notice Re-locks several buckets.
    function lock(uint256[] calldata ids, uint256 duration) external {
        for (uint256 i = 0; i < ids.length; ++i) _lock(ids[i], duration);
    }

    /// @notice Unstakes an unlocked bucket whose duration has run out; starts the freeze.
    function unstake(uint256 id) external {
        _unstake(id);
    }

    /// @notice Unstakes several buckets.
    function unstake(uint256[] calldata ids) external {
        for (uint256 i = 0; i < ids.length; ++i) _unstake(ids[i]);
    }

    /// @notice Burns an unstaked bucket after the freeze and pays its amount to `recipient`.
    function withdraw(uint256 id, address payable recipient) external {
        if (recipient == address(0)) revert ZeroRecipient();
        uint256 amount = _burnForWithdraw(id, recipient);
        Address.sendValue(recipient, amount);
    }

    /// @notice Withdraws several buckets to `recipient`.
    function withdraw(uint256[] calldata ids, address payable recipient) external {
        if (recipient == address(0)) revert ZeroRecipient();
        uint256 total;
        for (uint256 i = 0; i < ids.length; ++i) total += _burnForWithdraw(ids[i], recipient);
        Address.sendValue(recipient, total);
    }

    /// @notice Merges locked buckets into the first one, adding msg.value, with `newDuration`.
    function merge(uint256[] calldata ids, uint256 newDuration) external payable {
        uint256 n = ids.length;
        if (n == 0) revert EmptyList();
        if (newDuration > MAX_DURATION) revert DurationTooLong(newDuration);
        uint256 total = msg.value;
        for (uint256 i = 0; i < n; ++i) {
            uint256 id = ids[i];
            Bucket storage b = _ownedLocked(id);
            if (newDuration < b.duration) revert DurationTooShort(id, newDuration, b.duration);
            total += b.amount;
            if (i > 0) {
                for (uint256 j = 0; j < i; ++j) if (ids[j] == id) revert DuplicateBucket(id);
                delete _buckets[id];
                _burn(id);
            }
        }
        Bucket storage first = _buckets[ids[0]];
        first.amount = uint96(total);
        first.duration = uint64(newDuration);
        emit Merged(ids, total, newDuration);
    }

    /// @notice Adds msg.value to a locked bucket and lengthens it to `newDuration`.
    function expandBucket(uint256 id, uint256 newDuration) external payable {
        Bucket storage b = _ownedLocked(id);
        if (newDuration > MAX_DURATION) revert DurationTooLong(newDuration);
        if (newDuration < b.duration) revert DurationTooShort(id, newDuration, b.duration);
        uint256 amount = b.amount + msg.value;
        b.amount = uint96(amount);
        b.duration = uint64(newDuration);
        emit BucketExpanded(id, amount, newDuration);
    }

    /// @notice Moves the bucket's vote to `delegate`.
    function changeDelegate(uint256 id, address delegate) external {
        _changeDelegate(id, delegate);
    }

    /// @notice Moves the vote of several buckets to `delegate`.
    function changeDelegates(uint256[] calldata ids, address delegate) external {
        for (uint256 i = 0; i < ids.length; ++i) _changeDelegate(ids[i], delegate);
    }

    // ─── slashing (restaking) ─────────────────────────────────────────────────

    /// @notice Sets the contract allowed to slash buckets it owns (owner only).
    function setSlasher(address slasher_) external onlyOwner {
        slasher = slasher_;
        emit SlasherSet(slasher_);
    }

    /// @notice Takes `amount` from a bucket the slasher holds and pays it to `recipient`.
    function slash(uint256 id, uint256 amount, address payable recipient) external {
        if (msg.sender != slasher) revert NotSlasher(msg.sender);
        if (_requireOwned(id) != msg.sender) revert NotBucketOwner(id, msg.sender);
        if (recipient == address(0)) revert ZeroRecipient();
        Bucket storage b = _buckets[id];
        uint256 available = b.amount;
        if (amount > available) revert SlashTooLarge(id, amount, available);
        b.amount = uint96(available - amount);
        emit Slashed(id, amount, recipient);
        Address.sendValue(recipient, amount);
    }

    // ─── reads ────────────────────────────────────────────────────────────────

    /// @notice The bucket; unlockedAt/unstakedAt are type(uint256).max until triggered.
    function bucketOf(uint256 id)
        external
        view
        returns (uint256 amount, uint256 duration, uint256 unlockedAt, uint256 unstakedAt, address delegate)
    {
        _requireOwned(id);
        Bucket memory b = _buckets[id];
        return (b.amount, b.duration, _full(b.unlockedAt), _full(b.unstakedAt), b.delegate);
    }

    /// @notice Seconds until the bucket can be unstaked (its whole duration while locked, 0 once unstaked).
    function timeToUnstake(uint256 id) public view returns (uint256) {
        _requireOwned(id);
        Bucket memory b = _buckets[id];
        if (b.unstakedAt != NOT_SET) return 0;
        if (b.unlockedAt == NOT_SET) return b.duration;
        uint256 at = uint256(b.unlockedAt) + b.duration;
        return at > block.timestamp ? at - block.timestamp : 0;
    }

    /// @notice Seconds until the bucket can be withdrawn (including any time left before unstake).
    function timeToWithdraw(uint256 id) external view returns (uint256) {
        Bucket memory b = _buckets[id];
        if (b.unstakedAt == NOT_SET) return timeToUnstake(id) + UNSTAKE_FREEZE_TIME;
        _requireOwned(id);
        uint256 at = uint256(b.unstakedAt) + UNSTAKE_FREEZE_TIME;
        return at > block.timestamp ? at - block.timestamp : 0;
    }

    /// @notice Whether the bucket is locked (its duration not running).
    function isLocked(uint256 id) external view returns (bool) {
        _requireOwned(id);
        return _buckets[id].unlockedAt == NOT_SET;
    }

    // ─── internals ────────────────────────────────────────────────────────────

    function _checkStake(uint256 amount, uint256 duration) private view {
        if (amount < minAmount) revert AmountTooSmall(amount, minAmount);
        if (duration > MAX_DURATION) revert DurationTooLong(duration);
    }

    function _mintBucket(address to, uint256 amount, uint256 duration, address delegate) private returns (uint256 id) {
        if (delegate == address(0)) revert ZeroDelegate();
        id = ++_lastId;
        _buckets[id] = Bucket(delegate, uint96(amount), uint64(duration), NOT_SET, NOT_SET);
        _mint(to, id);
        emit Staked(id, delegate, amount, duration);
    }

    function _owned(uint256 id) private view returns (Bucket storage b) {
        if (_ownerOf(id) != msg.sender) revert NotBucketOwner(id, msg.sender);
        b = _buckets[id];
    }

    function _ownedLocked(uint256 id) private view returns (Bucket storage b) {
        b = _owned(id);
        if (b.unlockedAt != NOT_SET) revert BucketUnlocked(id);
    }

    function _unlock(uint256 id) private {
        Bucket storage b = _ownedLocked(id);
        b.unlockedAt = uint64(block.timestamp);
        emit Unlocked(id);
    }

    function _lock(uint256 id, uint256 duration) private {
        Bucket storage b = _owned(id);
        if (b.unstakedAt != NOT_SET) revert BucketUnstaked(id);
        if (b.unlockedAt == NOT_SET) revert BucketLocked(id);
        if (duration > MAX_DURATION) revert DurationTooLong(duration);
        uint256 at = uint256(b.unlockedAt) + b.duration;
        uint256 remaining = at > block.timestamp ? at - block.timestamp : 0;
        if (duration < remaining) revert DurationTooShort(id, duration, remaining);
        b.duration = uint64(duration);
        b.unlockedAt = NOT_SET;
        emit Locked(id, duration);
    }

    function _unstake(uint256 id) private {
        Bucket storage b = _owned(id);
        if (b.unlockedAt == NOT_SET) revert BucketLocked(id);
        if (b.unstakedAt != NOT_SET) revert BucketUnstaked(id);
        uint256 at = uint256(b.unlockedAt) + b.duration;
        if (block.timestamp < at) revert UnstakeTooEarly(id, at);
        b.unstakedAt = uint64(block.timestamp);
        emit Unstaked(id);
    }

    function _burnForWithdraw(uint256 id, address recipient) private returns (uint256 amount) {
        Bucket storage b = _owned(id);
        if (b.unstakedAt == NOT_SET) revert BucketNotUnstaked(id);
        uint256 at = uint256(b.unstakedAt) + UNSTAKE_FREEZE_TIME;
        if (block.timestamp < at) revert WithdrawTooEarly(id, at);
        amount = b.amount;
        delete _buckets[id];
        _burn(id);
        emit Withdrawal(id, recipient);
    }

    function _changeDelegate(uint256 id, address delegate) private {
        if (delegate == address(0)) revert ZeroDelegate();
        Bucket storage b = _owned(id);
        if (b.unstakedAt != NOT_SET) revert BucketUnstaked(id);
        if (b.delegate == delegate) revert SameDelegate(id);
        b.delegate = delegate;
        emit DelegateChanged(id, delegate);
    }

    function _full(uint64 value) private pure returns (uint256) {
        return value == NOT_SET ? type(uint256).max : value;
    }

    /// @dev Unstaked buckets cannot change hands (burning on withdraw is allowed).
    function _update(address to, uint256 tokenId, address auth) internal override returns (address) {
        address from = _ownerOf(tokenId);
        if (from != address(0) && to != address(0) && _buckets[tokenId].unstakedAt != NOT_SET) {
            revert BucketUnstaked(tokenId);
        }
        return super._update(to, tokenId, auth);
    }
}
